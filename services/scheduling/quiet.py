"""Quiet hours: when a reminder falls due at night, it waits until they end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Something starting this soon is urgent: its reminder goes out even in quiet hours.
URGENT_WITHIN = timedelta(hours=3)


@dataclass(frozen=True)
class QuietHours:
    """Local wall-clock hours from `start` to `end`; past midnight when `end` <= `start`
    (22:00–07:30). Equal times: no quiet hours at all."""

    start: time
    end: time

    def holds(self, at: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:
            return self.start <= at < self.end
        return at >= self.start or at < self.end


def release_at(due_at: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """When a reminder due at `due_at` may go: `due_at` itself, or the end of the quiet hours
    it falls in (local time in `tz`, so a night across a DST change is an hour shorter or
    longer). Aware UTC in, aware UTC out."""
    if due_at.tzinfo is None:
        raise ValueError("due_at must be timezone-aware")
    local = due_at.astimezone(tz)
    if not quiet.holds(local.time().replace(tzinfo=None)):
        return due_at.astimezone(UTC)
    day = local.date()
    if local.time().replace(tzinfo=None) >= quiet.end:
        day += timedelta(days=1)
    # A wall time skipped by the clocks going forward reads as the same time an hour later.
    release = datetime.combine(day, quiet.end, tzinfo=tz).astimezone(UTC)
    return max(release, due_at.astimezone(UTC))


def is_urgent(starts_at: datetime, now: datetime) -> bool:
    """Whether what starts at `starts_at` is close enough to skip quiet hours."""
    return starts_at - now <= URGENT_WITHIN
