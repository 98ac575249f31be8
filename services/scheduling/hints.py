"""Letting a planner sleep while nothing can fall due, so that an idle `tick` costs one read.

After a full look a planner knows the earliest moment anything it plans could next fall due;
`rest` stores it (services-wide, in the database), and `look` at the next tick says whether it
may skip. Every change that could bring a reminder earlier wakes all planners
(storage.scheduling.wake_planners: a duty added or swapped, someone's reminder settings, a
calendar override); a look that began before such a change stores nothing, so nothing is slept
through. A planner rests at most until the next local midnight, when the days it looks at move on.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from storage.scheduling import planner_hint, set_planner_hint

# A rest never reaches further than this past a look (the next midnight caps it); a hint further
# ahead means the clock was moved back (the demo's `:time`), and the planner looks again.
LONGEST_REST = timedelta(hours=25)


@dataclass(frozen=True)
class Look:
    skip: bool
    version: int


async def look(*, session: AsyncSession, planner: str, now: datetime) -> Look:
    """Whether `planner` may skip this tick (it rests until after `now`)."""
    until, version = await planner_hint(session=session, planner=planner)
    skip = until is not None and now < until <= now + LONGEST_REST
    return Look(skip=skip, version=version)


async def rest(
    *,
    session: AsyncSession,
    planner: str,
    seen: Look,
    until: datetime | None,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """Let `planner` skip ticks until `until`, or the next local midnight if that is sooner
    (None: nothing ahead)."""
    bound = next_midnight(now, tz)
    if until is not None:
        bound = min(bound, until)
    await set_planner_hint(
        session=session, planner=planner, quiet_until=max(bound, now), version=seen.version
    )


def next_midnight(now: datetime, tz: ZoneInfo) -> datetime:
    day = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(day, time(0), tzinfo=tz)


async def rest_until_daily(
    *, session: AsyncSession, planner: str, seen: Look, at: time, now: datetime, tz: ZoneInfo
) -> None:
    """Rest a planner that falls due at a local time of day: until today's `at` if that is still
    ahead, else until the next midnight (one look at `at`, one a day after it)."""
    today_at = datetime.combine(now.astimezone(tz).date(), at, tzinfo=tz)
    until = today_at if now < today_at else None
    await rest(session=session, planner=planner, seen=seen, until=until, now=now, tz=tz)
