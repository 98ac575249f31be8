"""The yearly duty record in `bench activities`: one representative's XLSX and PDF of last year.

Each is timed as a user waits for it: the year read from the database, then the file built in a
thread (services.record), as /record does.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.app import App
from bot.benchmarks.activities_seed import Representative
from bot.benchmarks.report import percentile
from services.clock import utcnow
from services.dates import local_today
from services.record import DutyRecord, collect_record, record_pdf, record_xlsx

TARGETS_MS = {"yearly XLSX": 1000.0, "yearly PDF": 2000.0}


async def record_rows(
    app: App, rep: Representative, samples: int
) -> tuple[list[list[object]], str]:
    """The rows of the two files, and a line saying whose record of which year it was."""
    tz = app.settings.tz
    year = local_today(utcnow(), tz).year - 1
    builders: dict[str, Callable[[DutyRecord, str], bytes]] = {
        "yearly XLSX": record_xlsx,
        "yearly PDF": record_pdf,
    }
    rows: list[list[object]] = []
    record: DutyRecord | None = None
    for label, build in builders.items():
        latencies = []
        for _ in range(samples):
            started = time.perf_counter()
            async with app.sessionmaker() as session:
                record = await collect_record(
                    session=session, person_id=rep.person_id, year=year, tz=tz
                )
            await asyncio.to_thread(build, record, "zh")
            latencies.append((time.perf_counter() - started) * 1000)
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        target = TARGETS_MS[label]
        rows.append([label, samples, p50, p99, target, "yes" if p99 <= target else "no"])
    count = len(record.activities) if record is not None else 0
    return rows, f"yearly record: {year}, {count} activities of one representative"
