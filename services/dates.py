"""Dates as people type them and as each language shows them.

Typed dates are forgiving (full-width digits, Chinese forms, "yesterday", a day without a year);
shown dates come from one helper per period, so activities, reminders and reports read alike.
Names of weekdays, months and quarters come from the tables below, never from the process locale
or a CLDR revision: the product's formats are fixed (`2024年3月15日（周五）`, `Fri 15 Mar 2024`).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar
from zoneinfo import ZoneInfo

from services.errors import BadInput
from services.i18n_marks import N_
from services.labels import is_zh

_ZH_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_EN_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_ZH_QUARTERS = ("第一季度", "第二季度", "第三季度", "第四季度")


class DateProblem(StrEnum):
    nonsense = "nonsense"
    future = "future"
    outside_term = "outside_term"


class DateError(BadInput):
    """What was wrong with a date, in one sentence with an example.

    Parameters are ISO dates (`2024-03-15`), which read well in either language when the error
    handler shows the error as it is; ``localized(locale)`` rewrites them with ``format_date``
    for a handler that prefers the reader's own format.
    """

    MESSAGES: ClassVar[dict[DateProblem, str]] = {
        DateProblem.nonsense: N_("I could not read that date. Send it like 2024-03-15 or 3月15日."),
        DateProblem.future: N_(
            "{day} has not come yet. Send the day the activity took place, like {example}."
        ),
        DateProblem.outside_term: N_(
            "{day} is outside your term ({start} to {end}). Send a date within it, like {example}."
        ),
    }
    BEFORE_TERM = N_(
        "{day} is before your term began on {start}. Send a later date, like {example}."
    )
    AFTER_TERM = N_(
        "{day} is after your term ended on {end}. Send an earlier date, like {example}."
    )

    def __init__(self, problem: DateProblem, message: str | None = None, **dates: date) -> None:
        super().__init__(
            message or self.MESSAGES[problem], **{k: v.isoformat() for k, v in dates.items()}
        )
        self.problem = problem
        self.dates = dates

    def localized(self, locale: str) -> DateError:
        """The same error with its dates written as ``format_date`` writes them in ``locale``;
        the example stays in a form the user can type back (2024-03-15)."""
        error = DateError(self.problem, self.message, **self.dates)
        error.params = {
            key: day.isoformat() if key == "example" else format_date(day, locale)
            for key, day in self.dates.items()
        }
        return error


def normalize(text: str) -> str:
    """NFKC (full-width digits, spaces and punctuation become ASCII), one space between words."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


# A Chinese input method types "。" for "." and "、" for "/": read them as meant.
_IME_PUNCTUATION = str.maketrans({"。": ".", "、": "/"})
_FULL = re.compile(
    r"(\d{4})\s*(?:([-/.])\s*(\d{1,2})\s*\2|年\s*(\d{1,2})\s*月)\s*(\d{1,2})\s*[日号]?"
)
_MONTH_DAY = re.compile(r"(?:(\d{1,2})\s*[-/.]|(\d{1,2})\s*月)\s*(\d{1,2})(?(2)\s*[日号]?)")
_DAY = re.compile(r"(\d{1,2})\s*[日号]")
_LAST_WEEK = re.compile(r"上\s*(?:周|星期|礼拜)\s*([一二三四五六日天])")
_WEEKDAY_WORDS = "一二三四五六日"
_DAYS_BACK = {"今天": 0, "今日": 0, "today": 0, "昨天": 1, "昨日": 1, "yesterday": 1, "前天": 2}


def parse_date(text: str, *, today: date) -> date:
    """The date meant by ``text``; a date without a year is the latest such day up to ``today``.

    Raises DateError(nonsense) for anything else; whether the day may be logged is
    ``check_activity_date``'s business.
    """
    word = normalize(text).translate(_IME_PUNCTUATION).casefold()
    try:
        day = _parse(word, today)
    except ValueError:
        day = None
    if day is None:
        raise DateError(DateProblem.nonsense)
    return day


def _parse(word: str, today: date) -> date | None:
    if word in _DAYS_BACK:
        return today - timedelta(days=_DAYS_BACK[word])
    if match := _LAST_WEEK.fullmatch(word):
        weekday = _WEEKDAY_WORDS.index(match[1].replace("天", "日"))
        return today - timedelta(days=today.weekday() + 7) + timedelta(days=weekday)
    if match := _FULL.fullmatch(word):
        return date(int(match[1]), int(match[3] or match[4]), int(match[5]))
    if match := _MONTH_DAY.fullmatch(word):
        return _latest_month_day(int(match[1] or match[2]), int(match[3]), today)
    if match := _DAY.fullmatch(word):
        return _latest_day(int(match[1]), today)
    return None


def _latest_month_day(month: int, day: int, today: date) -> date | None:
    if not 1 <= month <= 12:
        return None
    # Eight years back reach a 29 February even across a century that skips its leap year.
    for year in range(today.year, today.year - 9, -1):
        if 1 <= day <= calendar.monthrange(year, month)[1] and date(year, month, day) <= today:
            return date(year, month, day)
    return None


def _latest_day(day: int, today: date) -> date | None:
    year, month = today.year, today.month
    for _ in range(12):
        if 1 <= day <= calendar.monthrange(year, month)[1] and date(year, month, day) <= today:
            return date(year, month, day)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def check_activity_date(
    day: date, *, today: date, term_start: date | None, term_end: date | None
) -> None:
    """Refuse a day that has not come yet, or one outside the mandate's term (when known)."""
    if day > today:
        raise DateError(DateProblem.future, day=day, example=today)
    if term_start is not None and day < term_start:
        message = DateError.BEFORE_TERM if term_end is None else None
    elif term_end is not None and day > term_end:
        message = DateError.AFTER_TERM if term_start is None else None
    else:
        return
    # The example is a day the term allows: today, or the term's last day once it is over.
    example = min(today, term_end) if term_end is not None else today
    bounds = {"start": term_start, "end": term_end}
    raise DateError(
        DateProblem.outside_term,
        message,
        day=day,
        example=example,
        **{key: bound for key, bound in bounds.items() if bound is not None},
    )


def local_today(now: datetime, tz: ZoneInfo) -> date:
    """The calendar day it is in ``tz`` at the aware instant ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(tz).date()


def quarter_of(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1 to 4, not {quarter}")
    last_month = quarter * 3
    return date(year, last_month - 2, 1), date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


def format_date(day: date, locale: str) -> str:
    """`2024年3月15日（周五）` in Chinese, `Fri 15 Mar 2024` otherwise."""
    if is_zh(locale):
        return f"{day.year}年{day.month}月{day.day}日（{_ZH_WEEKDAYS[day.weekday()]}）"
    return f"{_EN_WEEKDAYS[day.weekday()]} {day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


def format_quarter(year: int, quarter: int, locale: str) -> str:
    """`2024年第一季度` in Chinese, `Q1 2024` otherwise."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter must be 1 to 4, not {quarter}")
    return f"{year}年{_ZH_QUARTERS[quarter - 1]}" if is_zh(locale) else f"Q{quarter} {year}"


def format_year(year: int, locale: str) -> str:
    return f"{year}年" if is_zh(locale) else str(year)
