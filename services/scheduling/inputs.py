"""What people type into /reminders: a time of day, quiet hours, a date still to come."""

from __future__ import annotations

import contextlib
import re
from datetime import date, time, timedelta

from services.dates import normalize, parse_date
from services.errors import BadInput
from services.i18n_marks import N_
from services.scheduling.quiet import QuietHours

_TIME = r"(\d{1,2})\s*[:：.点]\s*(\d{2})"
_TIME_RE = re.compile(_TIME)
_RANGE_RE = re.compile(_TIME + r"\s*(?:-|–|—|~|～|至|到|to)\s*" + _TIME)
_YEAR_RE = re.compile(r"\d{4}")
# How far ahead a date may be: far enough for a long illness, near enough to catch a typo.
FURTHEST = timedelta(days=366)


class TimeError(BadInput):
    message = N_("I could not read that time. Send it like 19:30.")


class QuietError(BadInput):
    message = N_("I could not read those hours. Send them like 22:00-07:30.")


class PastDate(BadInput):
    message = N_("{day} has passed. Send a date from today on, like {example}.")


class FarDate(BadInput):
    message = N_("{day} is more than a year away. Send an earlier date, like {example}.")


def parse_time(text: str) -> time:
    match = _TIME_RE.fullmatch(normalize(text).strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise TimeError()
    return time(int(match[1]), int(match[2]))


def parse_quiet(text: str) -> QuietHours:
    match = _RANGE_RE.fullmatch(normalize(text).strip().lower())
    if match is None:
        raise QuietError()
    hours = [int(match[n]) for n in (1, 2, 3, 4)]
    if hours[0] > 23 or hours[2] > 23 or hours[1] > 59 or hours[3] > 59:
        raise QuietError()
    return QuietHours(time(hours[0], hours[1]), time(hours[2], hours[3]))


def parse_until(text: str, *, today: date) -> date:
    """A last day (muted, unavailable) from today on; a date typed without a year is the next
    such day."""
    day = parse_date(text, today=today)
    if day < today and not _YEAR_RE.search(normalize(text)):
        with contextlib.suppress(ValueError):  # 29 February of a year without one
            day = day.replace(year=day.year + 1)
    example = (today + timedelta(days=7)).isoformat()
    if day < today:
        raise PastDate(day=day.isoformat(), example=example)
    if day > today + FURTHEST:
        raise FarDate(day=day.isoformat(), example=example)
    return day
