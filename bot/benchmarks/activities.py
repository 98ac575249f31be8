"""`bench activities`: /my on a large history, through the real Dispatcher, one update at a time.

A fresh SQLite file gets the migrations, a roster of representatives and their activities
(bot.benchmarks.activities_seed); then each measured update is handed to the polling loop's
handler alone and timed to its end: the update's transaction, its held replies and their sending
to a null Bot API (bot.benchmarks.sink) included.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiogram.types import Update

from bot.app import App, build_app
from bot.benchmarks.activities_seed import Representative, Seeded, seed
from bot.benchmarks.activities_updates import CheckingSink, message_update, press_update
from bot.benchmarks.report import percentile, table
from bot.polling import Poller
from handlers.history_keyboards import HistoryCallback
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today, quarter_of
from storage.duty_models import Activity
from storage.migrate import upgrade

TARGET_P99_MS = 20.0
WARM_UP = 20


async def run_activities_bench(
    *, representatives: int, activities: int, samples: int, seed_number: int = 0
) -> None:
    rng = random.Random(seed_number)  # noqa: S311 - a repeatable sample, not a secret
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = Settings(_env_file=None, database_url=url)
        sink = CheckingSink()
        app = build_app(settings, bot_session=sink)
        try:
            now = utcnow()
            started = time.perf_counter()
            seeded = await seed(
                app.sessionmaker,
                representatives=representatives,
                activities=activities,
                today=local_today(now, settings.tz),
                now=now,
                rng=rng,
            )
            seconds = time.perf_counter() - started
            rows = await _measure(app, seeded, samples, rng)
        finally:
            await app.close()
    print(
        f"bench activities: seeded {len(seeded.representatives)} representatives and "
        f"{seeded.activities} activities in {seconds:.1f} s (sqlite); {samples} samples each"
    )
    headers = ("measure", "samples", "p50_ms", "p99_ms", "target_p99_ms", "within")
    print(table(headers, rows))
    print(f"lists sent {sink.lists}  pages edited {sink.edits}  errors {sink.errors}")


async def _measure(
    app: App, seeded: Seeded, samples: int, rng: random.Random
) -> list[list[object]]:
    poller = Poller(app.bot, app.dispatcher)
    people = seeded.representatives
    year, quarter = quarter_of(local_today(utcnow(), app.settings.tz))
    # The quarter before this one: it has entries whatever day the bench runs on.
    previous = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    type_ids = list(seeded.types)

    def first_page() -> Update:
        return message_update(rng.choice(people), "/my")

    def filtered_page() -> Update:
        data = HistoryCallback(
            year=previous[0], quarter=previous[1], type_id=rng.choice(type_ids), page=0
        )
        return press_update(rng.choice(people), data.pack())

    def last_page() -> Update:
        pages = max(1, seeded.activities // max(1, len(people)) // 10)
        data = HistoryCallback(year=0, quarter=0, type_id=0, page=pages - 1)
        return press_update(rng.choice(people), data.pack())

    async def handle(make: Callable[[], Update]) -> None:
        await poller.handle_batch([make()])

    async def save() -> None:
        await _insert_activity(app, rng.choice(people), seeded, rng)

    measures: list[tuple[str, Callable[[], Awaitable[None]]]] = [
        ("/my first page", lambda: handle(first_page)),
        ("/my filtered page (quarter + type)", lambda: handle(filtered_page)),
        ("/my last page", lambda: handle(last_page)),
        ("save from confirm card (direct insert)", save),
    ]
    rows = []
    for label, step in measures:
        for _ in range(WARM_UP):
            await step()
        latencies = []
        for _ in range(samples):
            started = time.perf_counter()
            await step()
            latencies.append((time.perf_counter() - started) * 1000)
        p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
        within = "yes" if p99 <= TARGET_P99_MS else "no"
        rows.append([label, samples, p50, p99, TARGET_P99_MS, within])
    if poller.escaped:
        raise RuntimeError(f"{poller.escaped} updates failed outside the error handler")
    return rows


async def _insert_activity(
    app: App, rep: Representative, seeded: Seeded, rng: random.Random
) -> None:
    """One activity written in its own transaction, as the confirm card's save commits it."""
    type_id = rng.choice(list(seeded.types))
    now = utcnow()
    async with app.sessionmaker.begin() as session:
        session.add(
            Activity(
                person_id=rep.person_id,
                mandate_id=rep.mandate_id,
                delegation_id=rep.delegation_id,
                type_id=type_id,
                points=seeded.types[type_id],
                happened_on=local_today(now, app.settings.tz),
                place="洛阳博物馆",
                summary="文旅文创融合发展专题调研",
                created_at=now,
                updated_at=now,
            )
        )
