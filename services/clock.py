"""The clock the services and handlers read: timezone-aware UTC, as stored.

It is the real time plus an offset, zero except in the demo, where `:time +1d` moves it to show
what reminders do tomorrow. The demo runs the bot in a process of its own, so the offset lives in
a file (CLOCK_FILE) that the demo writes and `now()` reads whenever the file changed.
New code asks `now()` (or `utcnow`, the same function), never `datetime.now()`.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from storage.types import utcnow as _real_now

__all__ = ["BadMove", "follow_file", "now", "parse_move", "set_offset", "utcnow", "write_offset"]

_UNITS = {"d": "days", "h": "hours", "m": "minutes", "w": "weeks"}
_STEP_RE = re.compile(r"([+-])\s*(\d{1,5})\s*([dhmw])")
_AT_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?")


class BadMove(ValueError):
    """A `:time` argument that is neither a step such as +1d nor a local date and time."""


class _Clock:
    offset = timedelta(0)
    file: Path | None = None
    stamp: tuple[int, int] | None = None


_clock = _Clock()


def now() -> datetime:
    """The current moment, aware UTC, moved by the offset the demo set."""
    if _clock.file is not None:
        _reread()
    return _real_now() + _clock.offset


utcnow = now


def set_offset(offset: timedelta) -> None:
    """Move the clock of this process: `now()` returns the real time plus `offset`."""
    _clock.offset = offset


def follow_file(path: Path | None) -> None:
    """Take the offset from `path` (seconds, as `write_offset` writes them) whenever it changes;
    None stops following it and puts the clock back to the real time."""
    _clock.file, _clock.stamp, _clock.offset = path, None, timedelta(0)


def write_offset(path: Path, offset: timedelta) -> None:
    """Another process's clock, following `path`, moves to the real time plus `offset`."""
    spare = path.with_name(path.name + ".new")
    spare.write_text(f"{offset.total_seconds():.6f}\n", encoding="ascii")
    os.replace(spare, path)


def _reread() -> None:
    assert _clock.file is not None  # noqa: S101 - checked by the caller
    try:
        info = _clock.file.stat()
    except OSError:
        return
    stamp = (info.st_mtime_ns, info.st_size)
    if stamp == _clock.stamp:
        return
    try:
        seconds = float(_clock.file.read_text(encoding="ascii").strip() or "0")
    except (OSError, ValueError):
        return
    _clock.stamp, _clock.offset = stamp, timedelta(seconds=seconds)


def parse_move(text: str, *, current: datetime, tz: ZoneInfo) -> datetime:
    """Where `:time TEXT` moves a clock that reads `current`: `+1d`, `+2h`, `-30m`, `+1w`
    (combined: `+1d +2h`), or a local moment `2024-03-20 08:00` (a bare date: its midnight).
    BadMove for anything else."""
    words = text.strip()
    if match := _AT_RE.fullmatch(words):
        year, month, day, hour, minute = match.groups()
        try:
            at = time(int(hour), int(minute)) if hour is not None else time(0)
            moment = datetime.combine(date(int(year), int(month), int(day)), at, tzinfo=tz)
        except ValueError as exc:
            raise BadMove(text) from exc
        return moment.astimezone(current.tzinfo)
    steps = list(_STEP_RE.finditer(words))
    if not steps or "".join(m.group(0) for m in steps).replace(" ", "") != words.replace(" ", ""):
        raise BadMove(text)
    moved = current
    for sign, amount, unit in (m.groups() for m in steps):
        delta = timedelta(**{_UNITS[unit]: int(amount)})
        moved = moved + delta if sign == "+" else moved - delta
    return moved
