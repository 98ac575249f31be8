"""The services' clock: real time, moved by the demo's `:time`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from services import clock

TZ = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 3, 18, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _real_clock() -> Iterator[None]:
    yield
    clock.follow_file(None)
    clock.set_offset(timedelta(0))


def test_offset_moves_now_and_utcnow_alike() -> None:
    clock.set_offset(timedelta(days=1))
    moved = clock.now() - datetime.now(UTC)
    assert timedelta(hours=23, minutes=59) < moved <= timedelta(days=1)
    assert clock.utcnow is clock.now


def test_follows_the_offset_another_process_writes(tmp_path: Path) -> None:
    path = tmp_path / "clock"
    clock.follow_file(path)
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)  # no file yet
    clock.write_offset(path, timedelta(hours=2))
    assert clock.now() - datetime.now(UTC) > timedelta(hours=1, minutes=59)
    clock.write_offset(path, timedelta(days=-3))
    assert clock.now() - datetime.now(UTC) < timedelta(days=-2)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("+1d", NOW + timedelta(days=1)),
        ("+2h", NOW + timedelta(hours=2)),
        ("-30m", NOW - timedelta(minutes=30)),
        ("+1w +2h", NOW + timedelta(days=7, hours=2)),
        ("2024-03-20 08:00", datetime(2024, 3, 20, 0, 0, tzinfo=UTC)),  # 08:00 in Shanghai
        ("2024-03-20", datetime(2024, 3, 19, 16, 0, tzinfo=UTC)),
    ],
)
def test_parse_move(text: str, expected: datetime) -> None:
    assert clock.parse_move(text, current=NOW, tz=TZ) == expected


@pytest.mark.parametrize("text", ["", "tomorrow", "+1y", "1d", "2024-02-30 08:00", "+1d x"])
def test_parse_move_refuses_the_rest(text: str) -> None:
    with pytest.raises(clock.BadMove):
        clock.parse_move(text, current=NOW, tz=TZ)
