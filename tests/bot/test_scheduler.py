"""The scheduler calls tick on an interval inside the running loop and stops cleanly."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduler import TICK_JOB, Ticker
from services.config import Settings
from services.scheduling import tick as tick_module
from storage.db import create_sessionmaker


async def test_ticks_at_once_then_on_interval_and_stop_waits_for_a_running_tick(
    engine: AsyncEngine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    runs: list[datetime] = []
    finished: list[bool] = []
    started = asyncio.Event()

    async def planner(*, now: datetime, **_: Any) -> int:
        runs.append(now)
        started.set()
        if len(runs) == 2:
            await asyncio.sleep(0.3)
            finished.append(True)
        return 0

    monkeypatch.setattr(tick_module, "PLANNERS", [planner])
    ticker = Ticker(create_sessionmaker(engine), settings.model_copy(update={"tick_seconds": 0.2}))
    ticker.start()
    job = ticker.scheduler.get_job(TICK_JOB)
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 1)
    await asyncio.wait_for(started.wait(), 5)
    async with asyncio.timeout(5):
        while len(runs) < 2:
            await asyncio.sleep(0.01)
    await ticker.stop()
    assert finished == [True]  # the second tick was let finish
    await asyncio.sleep(0.5)
    assert len(runs) == 2
    assert not ticker.scheduler.running
