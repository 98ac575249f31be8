"""The date and time of a meeting as an organiser types them, in local time (TIMEZONE)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.dates import normalize
from services.errors import BadInput
from services.i18n_marks import N_

# A meeting without an end typed lasts this long.
DEFAULT_LENGTH = timedelta(hours=2)
# How far ahead a meeting may be planned: a quarter and a bit, enough to catch a typo.
FURTHEST = timedelta(days=200)
_DAY = r"(?:(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?|(\d{1,2})月(\d{1,2})日?)"
_TIME = r"(\d{1,2})[:：点.](\d{2})"
_WHEN_RE = re.compile(_DAY + r"\s*" + _TIME + r"(?:\s*(?:-|–|—|~|～|至|到|to)\s*" + _TIME + r")?")
USAGE = N_("Send the date and time like 2024-03-20 14:30, or with the end: 2024-03-20 14:30-16:30.")


class WhenError(BadInput):
    message = USAGE


class PastWhen(BadInput):
    message = N_("That time has passed. Send a time still to come, like {example}.")


class FarWhen(BadInput):
    message = N_("That is more than 200 days away. Send an earlier date, like {example}.")


@dataclass(frozen=True)
class When:
    starts_at: datetime
    ends_at: datetime


def parse_when(text: str, *, now: datetime, tz: ZoneInfo) -> When:
    """Start and end (aware UTC) from `2024-03-20 14:30`, `3月20日 14:30-16:30` (the next such
    day), and the like; the end defaults to two hours after the start."""
    match = _WHEN_RE.fullmatch(normalize(text).strip().lower())
    if match is None:
        raise WhenError()
    g = match.groups()
    today = now.astimezone(tz).date()
    try:
        if g[0] is not None:
            day = date(int(g[0]), int(g[1]), int(g[2]))
        else:
            day = date(today.year, int(g[3]), int(g[4]))
            if day < today:
                day = day.replace(year=today.year + 1)
        start = _at(day, g[5], g[6], tz)
        end = _at(day, g[7], g[8], tz) if g[7] is not None else start + DEFAULT_LENGTH
    except ValueError as exc:
        raise WhenError() from exc
    if end <= start:
        raise WhenError()
    example = (today + timedelta(days=7)).isoformat() + " 14:30"
    if start <= now:
        raise PastWhen(example=example)
    if start > now + FURTHEST:
        raise FarWhen(example=example)
    return When(start, end)


def _at(day: date, hour: str, minute: str, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(int(hour), int(minute)), tzinfo=tz).astimezone(UTC)


def ensure_future(when: When, *, now: datetime, tz: ZoneInfo) -> None:
    """A time checked when it was typed may have passed by the time it is confirmed."""
    if when.starts_at <= now:
        example = (now.astimezone(tz).date() + timedelta(days=7)).isoformat() + " 14:30"
        raise PastWhen(example=example)
