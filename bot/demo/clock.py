"""`:time`: moves the clock of the bot the demo runs, through the file it follows (CLOCK_FILE)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from services.clock import BadMove, parse_move, write_offset

USAGE = "expected :time +1d, +2h, -30m, +1w or a local time such as 2024-03-20 08:00"


class DemoClock:
    def __init__(self, path: Path, tz: ZoneInfo) -> None:
        self.path, self.tz = path, tz
        self.offset = timedelta(0)
        write_offset(path, self.offset)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def move(self, text: str) -> datetime:
        """Where the bot's clock now stands; ValueError with the usage for a bad `text`."""
        try:
            target = parse_move(text, current=self.now(), tz=self.tz)
        except BadMove:
            raise ValueError(USAGE) from None
        self.offset = target - datetime.now(UTC)
        write_offset(self.path, self.offset)
        return target

    def line(self, moment: datetime) -> str:
        local = moment.astimezone(self.tz)
        return f"🕒 {local:%Y-%m-%d %H:%M} ({self.tz.key}) — the bot's clock moved"
