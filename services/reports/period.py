"""Report periods: a quarter (2024Q1), a year (2024) or days from..to (2024-01-05..2024-02-20).

One parser serves the command line, the chat's typed answer and the period packed in a button,
so a forged button is checked exactly as typed text is.
"""

from __future__ import annotations

import re
from datetime import date

from services.dates import normalize, quarter_bounds, quarter_of
from services.errors import DomainError
from services.i18n_marks import N_
from services.reports.model import Period

EARLIEST_YEAR = 2000
# A custom period of more than this many days is refused: use years.
LONGEST_DAYS = 3 * 366

_QUARTER = re.compile(r"(\d{4})\s*[qQ]\s*([1-4])")
_YEAR = re.compile(r"(\d{4})")
_DAY = r"(\d{4})-(\d{1,2})-(\d{1,2})"
_RANGE = re.compile(_DAY + r"\s*(?:\.\.|~|to|至|到|\s)\s*" + _DAY)


class BadPeriod(DomainError):
    message = N_(
        "I could not read that period. Write a quarter (2024Q1), a year (2024) or two dates "
        "(2024-01-01..2024-03-31)."
    )


class FuturePeriod(DomainError):
    message = N_("That period has not begun yet: a report covers days up to today.")


def parse_period(text: str, *, today: date) -> Period:
    """The period the text names; refused when malformed or when it begins after today."""
    word = normalize(text).strip()
    period = _read(word)
    if period is None:
        raise BadPeriod()
    if period.first > today:
        raise FuturePeriod()
    return period


def _read(word: str) -> Period | None:
    if match := _QUARTER.fullmatch(word):
        year, quarter = int(match[1]), int(match[2])
        if year < EARLIEST_YEAR:
            return None
        first, last = quarter_bounds(year, quarter)
        return Period(first, last, f"{year}Q{quarter}")
    if match := _YEAR.fullmatch(word):
        year = int(match[1])
        if year < EARLIEST_YEAR:
            return None
        return Period(date(year, 1, 1), date(year, 12, 31), str(year))
    if match := _RANGE.fullmatch(word):
        try:
            first = date(int(match[1]), int(match[2]), int(match[3]))
            last = date(int(match[4]), int(match[5]), int(match[6]))
        except ValueError:
            return None
        if first.year < EARLIEST_YEAR or last < first or (last - first).days >= LONGEST_DAYS:
            return None
        return Period(first, last, f"{first.isoformat()}..{last.isoformat()}")
    return None


def as_numbers(period: Period) -> tuple[int, int]:
    """The first and last day as numbers (20240101, 20240331): how buttons carry a period."""
    return _number(period.first), _number(period.last)


def from_numbers(first: int, last: int, *, today: date) -> Period:
    """The period of two day numbers from a button, checked as if typed (a quarter or a year
    keeps its name)."""
    try:
        days = [date(n // 10000, n // 100 % 100, n % 100) for n in (first, last)]
    except ValueError:
        raise BadPeriod() from None
    return parse_period(_canonical(days[0], days[1]), today=today)


def _number(day: date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _canonical(first: date, last: date) -> str:
    year, quarter = quarter_of(first)
    if (first, last) == quarter_bounds(year, quarter):
        return f"{year}Q{quarter}"
    if (first, last) == (date(year, 1, 1), date(year, 12, 31)):
        return str(year)
    return f"{first.isoformat()}..{last.isoformat()}"


def this_quarter(today: date) -> str:
    year, quarter = quarter_of(today)
    return f"{year}Q{quarter}"


def last_quarter(today: date) -> str:
    year, quarter = quarter_of(today)
    return f"{year - 1}Q4" if quarter == 1 else f"{year}Q{quarter - 1}"


def this_year(today: date) -> str:
    return str(today.year)
