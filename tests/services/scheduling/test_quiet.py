"""Quiet hours hold a reminder until morning, in local time, across midnight and DST."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from services.scheduling.quiet import QuietHours, is_urgent, release_at

NIGHT = QuietHours(time(22, 0), time(7, 30))
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def _local(tz: ZoneInfo, *args: int) -> datetime:
    year, month, day, hour, minute = args
    return datetime(year, month, day, hour, minute, tzinfo=tz).astimezone(UTC)


@pytest.mark.parametrize(
    ("due", "released"),
    [
        ((2024, 3, 19, 21, 59), (2024, 3, 19, 21, 59)),  # before: at once
        ((2024, 3, 19, 22, 0), (2024, 3, 20, 7, 30)),  # from the start: next morning
        ((2024, 3, 19, 23, 45), (2024, 3, 20, 7, 30)),  # before midnight: next morning
        ((2024, 3, 20, 0, 10), (2024, 3, 20, 7, 30)),  # after midnight: the same morning
        ((2024, 3, 20, 7, 29), (2024, 3, 20, 7, 30)),
        ((2024, 3, 20, 7, 30), (2024, 3, 20, 7, 30)),  # the end is outside
        ((2024, 12, 31, 23, 0), (2025, 1, 1, 7, 30)),  # across a year (and a quarter)
    ],
)
def test_across_midnight(due: tuple[int, ...], released: tuple[int, ...]) -> None:
    got = release_at(_local(SHANGHAI, *due), NIGHT, SHANGHAI)
    assert got == _local(SHANGHAI, *released)
    assert got.tzinfo == UTC


def test_spring_forward_in_berlin_the_night_is_an_hour_shorter() -> None:
    # 31 March 2024: at 02:00 CET the clocks jump to 03:00 CEST.
    due = _local(BERLIN, 2024, 3, 30, 23, 0)
    got = release_at(due, NIGHT, BERLIN)
    assert got == datetime(2024, 3, 31, 5, 30, tzinfo=UTC)  # 07:30 CEST
    assert got.astimezone(BERLIN).time() == time(7, 30)
    assert got - due == timedelta(hours=7, minutes=30)  # 8½ h of wall clock, 7½ h real


def test_fall_back_in_berlin_the_night_is_an_hour_longer() -> None:
    # 27 October 2024: at 03:00 CEST the clocks go back to 02:00 CET.
    due = _local(BERLIN, 2024, 10, 26, 23, 0)
    got = release_at(due, NIGHT, BERLIN)
    assert got == datetime(2024, 10, 27, 6, 30, tzinfo=UTC)  # 07:30 CET
    assert got - due == timedelta(hours=9, minutes=30)


def test_quiet_hours_ending_in_the_skipped_hour_release_after_it() -> None:
    early = QuietHours(time(1, 0), time(2, 30))  # 02:30 does not exist on 31 March in Berlin
    due = _local(BERLIN, 2024, 3, 31, 1, 15)
    got = release_at(due, early, BERLIN)
    assert got > due
    assert got.astimezone(BERLIN).time() == time(3, 30)


def test_daytime_quiet_hours_and_none() -> None:
    lunch = QuietHours(time(12, 0), time(14, 0))
    assert release_at(_local(SHANGHAI, 2024, 3, 20, 12, 30), lunch, SHANGHAI) == _local(
        SHANGHAI, 2024, 3, 20, 14, 0
    )
    assert release_at(_local(SHANGHAI, 2024, 3, 20, 11, 0), lunch, SHANGHAI) == _local(
        SHANGHAI, 2024, 3, 20, 11, 0
    )
    never = QuietHours(time(8, 0), time(8, 0))
    due = _local(SHANGHAI, 2024, 3, 20, 8, 0)
    assert release_at(due, never, SHANGHAI) == due


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        release_at(datetime(2024, 3, 20, 23, 0), NIGHT, SHANGHAI)


def test_urgent_within_three_hours() -> None:
    now = datetime(2024, 3, 20, 1, 0, tzinfo=UTC)
    assert is_urgent(now + timedelta(hours=3), now)
    assert not is_urgent(now + timedelta(hours=3, minutes=1), now)
