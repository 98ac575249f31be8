"""Forgiving dates in, each language's dates out."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from services.dates import (
    DateError,
    DateProblem,
    check_activity_date,
    format_date,
    format_quarter,
    format_year,
    local_today,
    normalize,
    parse_date,
    quarter_bounds,
    quarter_of,
)
from services.errors import BadInput

# A Friday.
TODAY = date(2024, 3, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-15", date(2024, 3, 15)),
        ("2024-3-5", date(2024, 3, 5)),
        ("2024/3/15", date(2024, 3, 15)),
        ("2024.3.15", date(2024, 3, 15)),
        ("2024年3月15日", date(2024, 3, 15)),
        ("2024年3月15号", date(2024, 3, 15)),
        ("2024年3月15", date(2024, 3, 15)),
        ("2024 年 3 月 1 日", date(2024, 3, 1)),
        ("2023-12-31", date(2023, 12, 31)),
        ("2030-01-01", date(2030, 1, 1)),
        ("2024-02-29", date(2024, 2, 29)),
        ("3月15日", date(2024, 3, 15)),
        ("3月14", date(2024, 3, 14)),
        ("3月1号", date(2024, 3, 1)),
        ("3-15", date(2024, 3, 15)),
        ("03-01", date(2024, 3, 1)),
        ("3/15", date(2024, 3, 15)),
        ("3.15", date(2024, 3, 15)),
        ("12.31", date(2023, 12, 31)),
        ("15日", date(2024, 3, 15)),
        ("1号", date(2024, 3, 1)),
        ("今天", date(2024, 3, 15)),
        ("今日", date(2024, 3, 15)),
        ("昨天", date(2024, 3, 14)),
        ("前天", date(2024, 3, 13)),
        ("today", date(2024, 3, 15)),
        ("Today", date(2024, 3, 15)),
        ("YESTERDAY", date(2024, 3, 14)),
        ("  yesterday ", date(2024, 3, 14)),
        ("上周一", date(2024, 3, 4)),
        ("上周三", date(2024, 3, 6)),
        ("上周五", date(2024, 3, 8)),
        ("上周六", date(2024, 3, 9)),
        ("上周日", date(2024, 3, 10)),
        ("上周天", date(2024, 3, 10)),
        ("上星期三", date(2024, 3, 6)),
        ("上礼拜二", date(2024, 3, 5)),
        ("上礼拜天", date(2024, 3, 10)),
        # A Chinese input method's "。" and "、" for "." and "/".
        ("2024。3。15", date(2024, 3, 15)),
        ("3、15", date(2024, 3, 15)),
    ],
)
def test_accepted_forms(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２４－０３－１５", date(2024, 3, 15)),
        ("２０２４／３／１５", date(2024, 3, 15)),
        ("２０２４．３．１５", date(2024, 3, 15)),
        ("２０２４年３月１５日", date(2024, 3, 15)),
        ("３月１５日", date(2024, 3, 15)),
        ("３－１５", date(2024, 3, 15)),
        ("１５日", date(2024, 3, 15)),
        ("\u3000３月\u3000１５日\u3000", date(2024, 3, 15)),
        ("ＴＯＤＡＹ", date(2024, 3, 15)),
        ("上周\u3000三", date(2024, 3, 6)),
    ],
)
def test_full_width_input(text: str, expected: date) -> None:
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024-04-31",
        "0000-01-01",
        "13月1日",
        "0月5日",
        "2月30日",
        "4月31日",
        "3-32",
        "3/0",
        "32日",
        "0日",
        "15",
        "2024",
        "2024-03",
        "2024年3月",
        "2024-03/15",
        "3月15日日",
        "abc",
        "tomorrow",
        "明天",
        "上周八",
        "周三",
        "2024-03-15 10:00",
        "march 15",
        "2024-03-15x",
    ],
)
def test_rejected_forms(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text, today=TODAY)
    assert caught.value.problem is DateProblem.nonsense
    assert isinstance(caught.value, BadInput)
    assert caught.value.message == "I could not read that date. Send it like 2024-03-15 or 3月15日."
    assert caught.value.params == {}


@pytest.mark.parametrize(
    ("text", "today", "expected"),
    [
        # Later this year: last year's.
        ("3-15", date(2024, 3, 10), date(2023, 3, 15)),
        ("12月31日", date(2024, 1, 1), date(2023, 12, 31)),
        ("1月1日", date(2024, 1, 1), date(2024, 1, 1)),
        ("1-2", date(2024, 1, 1), date(2023, 1, 2)),
        # 29 February goes back to the latest leap year, even past 2100 that has none.
        ("2月29日", date(2024, 3, 1), date(2024, 2, 29)),
        ("2月29日", date(2024, 2, 28), date(2020, 2, 29)),
        ("2-29", date(2023, 6, 1), date(2020, 2, 29)),
        ("2-29", date(2101, 6, 1), date(2096, 2, 29)),
        # A day of the month: this month's, or the latest month that has it and has had it.
        ("15日", date(2024, 3, 10), date(2024, 2, 15)),
        ("10日", date(2024, 3, 10), date(2024, 3, 10)),
        ("31日", date(2024, 3, 10), date(2024, 1, 31)),
        ("31号", date(2024, 5, 30), date(2024, 3, 31)),
        ("30日", date(2024, 3, 29), date(2024, 1, 30)),
        ("29日", date(2023, 3, 28), date(2023, 1, 29)),
        ("29日", date(2024, 3, 28), date(2024, 2, 29)),
        ("31日", date(2024, 1, 15), date(2023, 12, 31)),
        # Last week across a year's end, and from a Monday and a Sunday.
        ("上周三", date(2024, 1, 2), date(2023, 12, 27)),
        ("上周一", date(2024, 3, 11), date(2024, 3, 4)),
        ("上周日", date(2024, 3, 17), date(2024, 3, 10)),
        ("前天", date(2024, 3, 1), date(2024, 2, 28)),
        ("昨天", date(2024, 1, 1), date(2023, 12, 31)),
    ],
)
def test_year_less_dates_are_the_latest_not_in_the_future(
    text: str, today: date, expected: date
) -> None:
    assert parse_date(text, today=today) == expected


def test_normalize_folds_width_and_collapses_spaces() -> None:
    assert normalize("\u3000视察\u3000\u3000２０２４－０３－１５\t洛阳 \n博物馆 ") == (
        "视察 2024-03-15 洛阳 博物馆"
    )
    assert normalize("（ＡＢＣ）！") == "(ABC)!"
    assert normalize("") == ""


TERM = (date(2023, 1, 1), date(2027, 12, 31))


@pytest.mark.parametrize("day", [date(2023, 1, 1), TODAY, date(2024, 3, 14), date(2023, 6, 30)])
def test_days_in_the_term_up_to_today_pass(day: date) -> None:
    check_activity_date(day, today=TODAY, term_start=TERM[0], term_end=TERM[1])
    check_activity_date(day, today=TODAY, term_start=None, term_end=None)


@pytest.mark.parametrize(
    ("day", "start", "end", "message", "params"),
    [
        (
            date(2024, 3, 16),
            *TERM,
            "{day} has not come yet. Send the day the activity took place, like {example}.",
            {"day": "2024-03-16", "example": "2024-03-15"},
        ),
        (
            date(2030, 1, 1),
            None,
            None,
            "{day} has not come yet. Send the day the activity took place, like {example}.",
            {"day": "2030-01-01", "example": "2024-03-15"},
        ),
        (
            date(2022, 12, 31),
            *TERM,
            "{day} is outside your term ({start} to {end}). Send a date within it, like {example}.",
            {
                "day": "2022-12-31",
                "start": "2023-01-01",
                "end": "2027-12-31",
                "example": "2024-03-15",
            },
        ),
        (
            date(2024, 2, 1),
            date(2018, 1, 1),
            date(2022, 12, 31),
            "{day} is outside your term ({start} to {end}). Send a date within it, like {example}.",
            {
                "day": "2024-02-01",
                "start": "2018-01-01",
                "end": "2022-12-31",
                "example": "2022-12-31",
            },
        ),
        (
            date(2022, 5, 1),
            date(2023, 1, 1),
            None,
            "{day} is before your term began on {start}. Send a later date, like {example}.",
            {"day": "2022-05-01", "start": "2023-01-01", "example": "2024-03-15"},
        ),
        (
            date(2024, 1, 1),
            None,
            date(2023, 12, 31),
            "{day} is after your term ended on {end}. Send an earlier date, like {example}.",
            {"day": "2024-01-01", "end": "2023-12-31", "example": "2023-12-31"},
        ),
    ],
)
def test_future_and_out_of_term_days_are_refused(
    day: date, start: date | None, end: date | None, message: str, params: dict[str, str]
) -> None:
    with pytest.raises(DateError) as caught:
        check_activity_date(day, today=TODAY, term_start=start, term_end=end)
    expected = DateProblem.future if day > TODAY else DateProblem.outside_term
    assert caught.value.problem is expected
    assert caught.value.message == message
    assert caught.value.params == params
    # Every placeholder is filled: the error handler formats the message with these.
    assert "{" not in message.format(**params)


def test_a_date_error_rewrites_its_dates_in_the_readers_format() -> None:
    with pytest.raises(DateError) as caught:
        check_activity_date(date(2022, 12, 31), today=TODAY, term_start=TERM[0], term_end=TERM[1])
    zh = caught.value.localized("zh")
    assert zh.problem is DateProblem.outside_term
    assert zh.message == caught.value.message
    assert zh.params == {
        "day": "2022年12月31日（周六）",
        "start": "2023年1月1日（周日）",
        "end": "2027年12月31日（周五）",
        # An example is something to type back, and the bot reads it.
        "example": "2024-03-15",
    }
    assert parse_date(zh.params["example"], today=TODAY) == TODAY
    assert caught.value.localized("en").params["start"] == "Sun 1 Jan 2023"
    nonsense = DateError(DateProblem.nonsense).localized("zh")
    assert (nonsense.problem, nonsense.params) == (DateProblem.nonsense, {})


@pytest.mark.parametrize(
    ("now", "tz", "expected"),
    [
        (datetime(2024, 3, 14, 16, 0, tzinfo=UTC), "Asia/Shanghai", date(2024, 3, 15)),
        (datetime(2024, 3, 14, 15, 59, tzinfo=UTC), "Asia/Shanghai", date(2024, 3, 14)),
        (datetime(2024, 1, 1, 3, 0, tzinfo=UTC), "America/New_York", date(2023, 12, 31)),
        (datetime(2024, 3, 15, 0, 0, tzinfo=UTC), "UTC", date(2024, 3, 15)),
    ],
)
def test_local_today(now: datetime, tz: str, expected: date) -> None:
    assert local_today(now, ZoneInfo(tz)) == expected


def test_local_today_needs_an_aware_instant() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        local_today(datetime(2024, 3, 15, 12, 0), ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    ("quarter", "first", "last"),
    [
        (1, date(2024, 1, 1), date(2024, 3, 31)),
        (2, date(2024, 4, 1), date(2024, 6, 30)),
        (3, date(2024, 7, 1), date(2024, 9, 30)),
        (4, date(2024, 10, 1), date(2024, 12, 31)),
    ],
)
def test_quarters(quarter: int, first: date, last: date) -> None:
    assert quarter_bounds(2024, quarter) == (first, last)
    assert quarter_of(first) == (2024, quarter)
    assert quarter_of(last) == (2024, quarter)


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_there_are_four_quarters(quarter: int) -> None:
    with pytest.raises(ValueError, match="quarter"):
        quarter_bounds(2024, quarter)
    with pytest.raises(ValueError, match="quarter"):
        format_quarter(2024, quarter, "zh")


@pytest.mark.parametrize(
    ("day", "zh", "en"),
    [
        (date(2024, 3, 11), "2024年3月11日（周一）", "Mon 11 Mar 2024"),
        (date(2024, 3, 12), "2024年3月12日（周二）", "Tue 12 Mar 2024"),
        (date(2024, 3, 13), "2024年3月13日（周三）", "Wed 13 Mar 2024"),
        (date(2024, 3, 14), "2024年3月14日（周四）", "Thu 14 Mar 2024"),
        (date(2024, 3, 15), "2024年3月15日（周五）", "Fri 15 Mar 2024"),
        (date(2024, 3, 16), "2024年3月16日（周六）", "Sat 16 Mar 2024"),
        (date(2024, 3, 17), "2024年3月17日（周日）", "Sun 17 Mar 2024"),
        (date(2023, 12, 1), "2023年12月1日（周五）", "Fri 1 Dec 2023"),
        (date(2024, 2, 29), "2024年2月29日（周四）", "Thu 29 Feb 2024"),
        (date(2024, 1, 1), "2024年1月1日（周一）", "Mon 1 Jan 2024"),
        (date(2024, 4, 2), "2024年4月2日（周二）", "Tue 2 Apr 2024"),
        (date(2024, 5, 3), "2024年5月3日（周五）", "Fri 3 May 2024"),
        (date(2024, 6, 4), "2024年6月4日（周二）", "Tue 4 Jun 2024"),
        (date(2024, 7, 5), "2024年7月5日（周五）", "Fri 5 Jul 2024"),
        (date(2024, 8, 6), "2024年8月6日（周二）", "Tue 6 Aug 2024"),
        (date(2024, 9, 7), "2024年9月7日（周六）", "Sat 7 Sep 2024"),
        (date(2024, 10, 8), "2024年10月8日（周二）", "Tue 8 Oct 2024"),
        (date(2024, 11, 9), "2024年11月9日（周六）", "Sat 9 Nov 2024"),
    ],
)
def test_format_date(day: date, zh: str, en: str) -> None:
    assert format_date(day, "zh") == zh
    assert format_date(day, "en") == en


@pytest.mark.parametrize(
    ("quarter", "zh", "en"),
    [
        (1, "2024年第一季度", "Q1 2024"),
        (2, "2024年第二季度", "Q2 2024"),
        (3, "2024年第三季度", "Q3 2024"),
        (4, "2024年第四季度", "Q4 2024"),
    ],
)
def test_format_quarter(quarter: int, zh: str, en: str) -> None:
    assert format_quarter(2024, quarter, "zh") == zh
    assert format_quarter(2024, quarter, "en") == en


def test_format_year() -> None:
    assert format_year(2024, "zh") == "2024年"
    assert format_year(2024, "en") == "2024"
