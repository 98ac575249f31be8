"""`bench reminders`: planning a reception day's reminders for a large roster, and idle ticks.

A fresh database (SQLite by default, or an empty one given by URL, such as PostgreSQL) gets the
migrations, the representatives spread over the stations and a duty at every station each
Wednesday (bot.benchmarks.reminders_seed). Then `tick`, with every registered planner, runs at
the moments reminders fall due over that week, each timed from the call to the deliveries queued
and committed; between them, ticks with nothing due are timed one by one. What the planners
queue is counted from the database.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import select

import bot.scheduler  # noqa: F401  (registers every planner `tick` runs)
from bot.app import build_app
from bot.benchmarks.reminders_meeting import MeetingSink, meeting_notices
from bot.benchmarks.reminders_seed import GROUP_SIZE, seed
from bot.benchmarks.report import percentile, table
from bot.budget_rules import unpaced
from bot.serving import settle_heap
from services.clock import utcnow
from services.config import Settings
from services.scheduling.tick import PLANNERS, tick
from storage.db import create_engine, create_sessionmaker
from storage.delivery_models import Delivery
from storage.migrate import upgrade
from storage.models import Person
from storage.scheduling import wake_planners

TARGET_PLAN_S = 5.0
TARGET_IDLE_P99_MS = 5.0
WEDNESDAY = date(2024, 3, 20)  # a working day
FULL_LOOKS = 5
NOTICE_SAMPLES = 30


class NotEmpty(RuntimeError):
    """The database given already has people: the seed gives ids and needs an empty one."""


async def run_reminders_bench(
    *, representatives: int, stations: int, idle_samples: int, database_url: str | None = None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'reminders.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(_env_file=None, database_url=url)
        engine = create_engine(url)
        sessions = create_sessionmaker(engine)
        try:
            async with sessions() as session:
                if await session.scalar(select(func.count()).select_from(Person)):
                    raise NotEmpty(url)
            started = time.perf_counter()
            on_day = await seed(
                sessions,
                representatives=representatives,
                stations=stations,
                wednesday=WEDNESDAY,
                now=utcnow(),
            )
            seeded = time.perf_counter() - started
            settle_heap()  # as the bot does once it has started
            phases, idle, looks = await _measure(sessions, settings, idle_samples)
            notices = await _notices(settings, groups=min(representatives // GROUP_SIZE, 100))
        finally:
            await engine.dispose()
    kind = "sqlite" if url.startswith("sqlite") else url.split(":", 1)[0]
    print(
        f"bench reminders: {representatives} representatives, {stations} stations, {on_day} "
        f"duties on {WEDNESDAY.isoformat()} ({kind}; seeded in {seeded:.1f} s); planners: "
        + ", ".join(getattr(p, "__qualname__", "?") for p in PLANNERS)
    )
    print(table(("tick", "local_time", "seconds", "deliveries", "target_s", "within"), phases))
    headers = ("measure", "samples", "p50_ms", "p99_ms", "target_p99_ms", "within")
    print(table(headers, [idle, looks, notices]))


async def _notices(settings: Settings, groups: int) -> list[object]:
    app = build_app(unpaced(settings), bot_session=MeetingSink())
    settle_heap()  # as the bot does once its app is built
    try:
        return await meeting_notices(app, groups=max(1, groups), samples=NOTICE_SAMPLES)
    finally:
        await app.close()


def _local(day: date, hour: int, settings: Settings) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=settings.tz)


async def _measure(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, idle_samples: int
) -> tuple[list[list[object]], list[object], list[object]]:
    monday, tuesday = WEDNESDAY - timedelta(days=2), WEDNESDAY - timedelta(days=1)
    moments = [
        ("weekly digests (Monday)", _local(monday, 8, settings)),
        ("evening before", _local(tuesday, 19, settings)),
        ("morning of the day", _local(WEDNESDAY, 8, settings)),
    ]
    phases = [await _timed_tick(sessions, settings, label, at) for label, at in moments]
    # Ticks every TICK_SECONDS through the reception hours: nothing is due.
    quiet_from = _local(WEDNESDAY, 10, settings)
    idle_ms = []
    for number in range(idle_samples):
        at = quiet_from + timedelta(seconds=settings.tick_seconds * number)
        started = time.perf_counter()
        counts = await tick(sessionmaker=sessions, now=at, settings=settings)
        idle_ms.append((time.perf_counter() - started) * 1000)
        if any(counts.values()):
            raise RuntimeError(f"an idle tick queued something: {counts}")
    p99 = percentile(idle_ms, 0.99)
    idle: list[object] = [
        "idle tick",
        idle_samples,
        percentile(idle_ms, 0.5),
        p99,
        TARGET_IDLE_P99_MS,
        "yes" if p99 <= TARGET_IDLE_P99_MS else "no",
    ]
    looks = await _full_looks(sessions, settings, quiet_from + timedelta(minutes=30))
    phases.append(
        await _timed_tick(sessions, settings, "after the hours", _local(WEDNESDAY, 17, settings))
    )
    return phases, idle, looks


async def _timed_tick(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, label: str, at: datetime
) -> list[object]:
    before = await _queued(sessions)
    started = time.perf_counter()
    counts = await tick(sessionmaker=sessions, now=at.astimezone(settings.tz), settings=settings)
    seconds = time.perf_counter() - started
    if -1 in counts.values():
        raise RuntimeError(f"a planner failed at {at}: {counts}")
    made = await _queued(sessions) - before
    local = at.astimezone(settings.tz).strftime("%a %H:%M")
    within = "yes" if seconds <= TARGET_PLAN_S else "no"
    return [label, local, f"{seconds:.2f}", made, TARGET_PLAN_S, within]


async def _full_looks(
    sessions: async_sessionmaker[AsyncSession], settings: Settings, at: datetime
) -> list[object]:
    """A tick right after a change woke the planners (a duty added, a setting changed): every
    planner reads what it plans from, and finds nothing new due."""
    looks_ms = []
    for number in range(FULL_LOOKS):
        async with sessions.begin() as session:
            await wake_planners(session=session)
        started = time.perf_counter()
        await tick(sessionmaker=sessions, now=at + timedelta(seconds=number), settings=settings)
        looks_ms.append((time.perf_counter() - started) * 1000)
    worst = max(looks_ms)
    return [
        "tick after a change (full look)",
        FULL_LOOKS,
        percentile(looks_ms, 0.5),
        worst,
        "-",
        "-",
    ]


async def _queued(sessions: async_sessionmaker[AsyncSession]) -> int:
    async with sessions() as session:
        deliveries = await session.scalar(select(func.count()).select_from(Delivery))
    return int(deliveries or 0)
