"""The scheduler: APScheduler calls `tick` every TICK_SECONDS, and does nothing else.

What is due lives in the database (services.scheduling), so the job store is APScheduler's
memory store and the job holds no bot or session: a restart loses nothing. A tick runs in a task
of its own, shielded from the executor, which cancels running jobs on shutdown: stopping waits
for the tick's transaction to finish instead of cutting a database call in half.
"""

from __future__ import annotations

import asyncio
import logging

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.concerns.followup_planner  # registers the concern follow-ups' planner
import services.duty.digest  # registers the weekly digest's planner
import services.duty.planner  # registers the duty reminders' planner
import services.score_post.planner  # noqa: F401  (registers the score post's drafts planner)
from services.clock import now
from services.config import Settings
from services.meetings import planner as _meetings  # noqa: F401  (meeting reminders, quarter watch)
from services.scheduling.tick import tick
from storage.types import utcnow

log = logging.getLogger(__name__)
TICK_JOB = "tick"
# How long stopping waits for a running tick before cancelling it.
TICK_STOP_SECONDS = 10.0


class Ticker:
    """Runs `tick` on an interval, inside the running event loop."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession], settings: Settings) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.scheduler = AsyncIOScheduler(timezone=settings.tz)
        self.running: asyncio.Task[dict[str, int]] | None = None
        # The first tick of the process wakes every planner: the settings or the clock may have
        # changed while it was down.
        self.woken = False

    def start(self) -> None:
        """Must be called on the running loop: the scheduler takes it as its own."""
        seconds = self.settings.tick_seconds
        self.scheduler.add_job(
            self._job,
            "interval",
            seconds=seconds,
            id=TICK_JOB,
            # The first tick at once: what fell due while the bot was down goes out at start.
            next_run_time=utcnow(),
            # A tick late by less than a few periods still runs; ticks missed together run once
            # (each plans everything due up to its `now`); never two at a time.
            misfire_grace_time=max(1, int(seconds * 4)),
            coalesce=True,
            max_instances=1,
        )
        self.scheduler.start()

    async def _job(self) -> None:
        wake, self.woken = not self.woken, True
        self.running = asyncio.create_task(
            tick(sessionmaker=self.sessionmaker, now=now(), settings=self.settings, wake=wake)
        )
        counts = await asyncio.shield(self.running)
        if any(counts.values()):
            log.info("tick: %s", counts)

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        task = self.running
        if task is not None and not task.done():
            await asyncio.wait({task}, timeout=TICK_STOP_SECONDS)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
