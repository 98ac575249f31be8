"""`bench reports`: a delegation's quarterly report on a large database: all its tables (the
SQL aggregation alone), its charts, and its workbook, and the delegation's annual evaluation
ranking (the year of that quarter), each timed over a few samples.

A fresh SQLite file (or the empty PostgreSQL database given) gets the migrations and the roster
of bot.benchmarks.reports_seed; the report is the last complete quarter's, as staff would ask.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import func, select

from bot.benchmarks.report import percentile, table
from bot.benchmarks.reports_meetings import seed_meetings
from bot.benchmarks.reports_seed import seed
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.evaluation import DEFAULT_WEIGHTS, build_evaluation
from services.reports import Report, UnitKind, build_report, last_quarter, report_words
from services.reports.charts import render_charts
from services.reports.workbook import report_xlsx
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import Person

# The targets; the workbook has none and is shown for information.
TARGETS_MS = {"tables": 1000.0, "charts": 2000.0, "evaluation": 3000.0}


async def run_reports_bench(
    *,
    representatives: int,
    activities: int,
    concerns: int,
    delegations: int,
    samples: int,
    database_url: str | None,
    seed_number: int = 0,
) -> None:
    rng = random.Random(seed_number)  # noqa: S311 - a repeatable sample, not a secret
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        sessions = create_sessionmaker(engine)
        settings = Settings(_env_file=None, database_url=url)
        try:
            async with sessions() as session:
                if await session.scalar(select(func.count()).select_from(Person)):
                    raise SystemExit("bench reports needs an empty database")
            now = utcnow()
            started = time.perf_counter()
            seeded = await seed(
                sessions,
                delegations=delegations,
                representatives=representatives,
                activities=activities,
                concerns=concerns,
                today=local_today(now, settings.tz),
                now=now,
                rng=rng,
            )
            meetings, replies = await seed_meetings(
                sessions, delegations=delegations, today=local_today(now, settings.tz), now=now
            )
            seconds = time.perf_counter() - started
            period = last_quarter(local_today(now, settings.tz))
            report: Report | None = None

            async def tables() -> None:
                nonlocal report
                async with sessions() as session:
                    report = await build_report(
                        session=session,
                        actor=None,
                        kind=UnitKind.delegation,
                        unit_id=1,
                        period_code=period,
                        now=now,
                        tz=settings.tz,
                    )

            rows = [await _timed("tables", tables, samples)]
            assert report is not None  # noqa: S101 - set by the measure just run
            words = report_words(lambda text: text, "zh")
            done = report
            rows.append(await _timed("charts", _thread(render_charts, done, words), samples))
            rows.append(await _timed("workbook", _thread(report_xlsx, done, words), samples))
            ranked = 0

            async def evaluation() -> None:
                nonlocal ranked
                async with sessions() as session:
                    result = await build_evaluation(
                        session=session,
                        actor=None,
                        delegation_id=1,
                        year=done.period.first.year,
                        weights=DEFAULT_WEIGHTS,
                        shortlist_percent=5.0,
                        now=now,
                        tz=settings.tz,
                    )
                ranked = len(result.standings)

            rows.append(await _timed("evaluation", evaluation, samples))
        finally:
            await engine.dispose()
    backend = url.split(":", 1)[0]
    print(
        f"bench reports ({backend}): seeded {seeded.delegations} delegations, "
        f"{seeded.representatives} representatives, {seeded.activities} activities, "
        f"{seeded.concerns} concerns, {seeded.duties} duties, {seeded.recipients} bulletin "
        f"deliveries in {seconds:.1f} s; delegation 1, {period}: {done.activities} activities, "
        f"{len(done.people)} representatives, {sum(r.assigned for r in done.duty)} duties, "
        f"{done.concerns.received} concerns received, {len(done.reads)} issues; "
        f"evaluation {done.period.first.year}: {ranked} ranked ({meetings} group meetings, "
        f"{replies} replies seeded)"
    )
    headers = ("measure", "samples", "p50_ms", "max_ms", "target_ms", "within")
    print(table(headers, rows))


def _thread(function: Callable[..., object], *args: object) -> Callable[[], Awaitable[object]]:
    async def run() -> object:
        return await asyncio.to_thread(function, *args)

    return run


async def _timed(
    label: str, measure: Callable[[], Awaitable[object]], samples: int
) -> list[object]:
    await measure()  # warm: imports, the font, the database's caches
    latencies = []
    for _ in range(samples):
        started = time.perf_counter()
        await measure()
        latencies.append((time.perf_counter() - started) * 1000)
    worst = max(latencies)
    target = TARGETS_MS.get(label)
    if target is None:
        return [label, samples, percentile(latencies, 0.5), worst, "-", "-"]
    within = "yes" if worst <= target else "no"
    return [label, samples, percentile(latencies, 0.5), worst, target, within]
