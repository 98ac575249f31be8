"""A broadcast's send time as staff type it, read in the deployment's time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.dates import normalize
from services.errors import BadInput, DomainError
from services.i18n_marks import N_

USAGE = N_(
    "Send the time as 18:30 (today), tomorrow 09:00 (明天 09:00) or 2026-12-05 09:00; or /cancel."
)
_TIME = re.compile(r"(\d{1,2})[:.：](\d{2})")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
_DAYS_AHEAD = {"today": 0, "今天": 0, "今日": 0, "tomorrow": 1, "明天": 1, "明日": 1, "后天": 2}


class SendTimeInPast(DomainError):
    message = N_("That time has already passed. Send a later time, or /cancel.")


def parse_send_time(text: str, *, now: datetime, tz: ZoneInfo) -> datetime:
    """The moment in UTC; BadInput when it cannot be read, SendTimeInPast when it is over."""
    words = normalize(text).lower()
    found_time = _TIME.search(words)
    if found_time is None:
        raise BadInput(USAGE)
    rest = (words[: found_time.start()] + " " + words[found_time.end() :]).strip()
    at = _clock(int(found_time.group(1)), int(found_time.group(2)))
    today = now.astimezone(tz).date()
    day = _day(rest, today)
    moment = datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
    if moment <= now:
        raise SendTimeInPast()
    return moment


def _clock(hour: int, minute: int) -> time:
    if hour > 23 or minute > 59:
        raise BadInput(USAGE)
    return time(hour, minute)


def _day(words: str, today: date) -> date:
    if not words:
        return today
    if words in _DAYS_AHEAD:
        return today + timedelta(days=_DAYS_AHEAD[words])
    found = _DATE.fullmatch(words)
    if found is None:
        raise BadInput(USAGE)
    try:
        return date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError:
        raise BadInput(USAGE) from None
