"""`tick(now)`: every registered planner turns what is due into deliveries.

The database is the source of truth for what is due; a planner reads it and calls
`services.scheduling.schedule.schedule` for each reminder, whose dedupe key makes it go out
once however often and in however many processes `tick` runs. A planner is

    async def plan_something(*, session: AsyncSession, now: datetime, settings: Settings) -> int

returning how many reminders it looked at (for the log); it is added with `register_planner`
at import time of its module. Each runs in a transaction of its own: one that fails is logged
and rolled back, and the others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.config import Settings
from services.scheduling.hints import LONGEST_REST
from storage.scheduling import resting_planners, wake_planners

log = logging.getLogger(__name__)

Planner = Callable[..., Awaitable[int]]
PLANNERS: list[Planner] = []
# The hint (services.scheduling.hints) each resting planner keeps, by planner.
HINTS: dict[Planner, str] = {}


def register_planner(planner: Planner, *, hint: str | None = None) -> Planner:
    """Add `planner` to those `tick` runs (once, however often it is registered); usable as a
    decorator. `hint`: the name it rests under, so that `tick` skips it, without a transaction
    of its own, while it rests."""
    if planner not in PLANNERS:
        PLANNERS.append(planner)
    if hint is not None:
        HINTS[planner] = hint
    return planner


async def tick(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    now: datetime,
    settings: Settings,
    planners: Sequence[Planner] | None = None,
    wake: bool = False,
) -> dict[str, int]:
    """Run every planner (default: the registered ones) at `now`; returns what each counted,
    by name, -1 for one that failed. A resting planner is skipped after one read for all of
    them; `wake` (the first tick of a process) makes every planner look first."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    chosen = list(PLANNERS if planners is None else planners)
    resting: set[str] = set()
    if wake:
        async with sessionmaker() as session, session.begin():
            await wake_planners(session=session)
    elif any(planner in HINTS for planner in chosen):
        async with sessionmaker() as session:
            resting = await resting_planners(session=session, now=now, longest=LONGEST_REST)
    counts: dict[str, int] = {}
    for planner in chosen:
        name = getattr(planner, "__qualname__", repr(planner))
        if HINTS.get(planner) in resting:
            counts[name] = 0
            continue
        try:
            async with sessionmaker() as session, session.begin():
                counts[name] = await planner(session=session, now=now, settings=settings)
        except Exception:
            log.exception("planner %s failed at %s", name, now.isoformat())
            counts[name] = -1
    return counts
