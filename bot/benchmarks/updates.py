"""`bench updates`: updates through the real Dispatcher and database, first delivery vs redelivery.

Redelivery is what follows a crash before the offset was confirmed: every update must be
recognised as handled and skipped, so nobody is answered twice.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from aiogram.types import Chat, Message, Update, User

from bot.app import build_app
from bot.benchmarks.report import percentile, table
from bot.benchmarks.sink import SinkSession
from bot.polling import Poller
from services.config import Settings
from storage.migrate import upgrade

BATCH = 100  # what one getUpdates call returns at most


def _updates(count: int, users: int) -> list[Update]:
    texts = ("/start", "/help", "你好", "/lang")
    updates = []
    for number in range(count):
        user = User(id=10_000 + number % users, is_bot=False, first_name="代表", language_code="zh")
        message = Message(
            message_id=number + 1,
            date=datetime.now(UTC),
            chat=Chat(id=user.id, type="private"),
            from_user=user,
            text=texts[number % len(texts)],
        )
        updates.append(Update(update_id=1_000_000 + number, message=message))
    return updates


async def _deliver(poller: Poller, updates: list[Update], latencies: list[float]) -> float:
    del latencies[:]
    started = time.perf_counter()
    for start in range(0, len(updates), BATCH):
        await poller.handle_batch(updates[start : start + BATCH])
    return time.perf_counter() - started


async def run_updates_bench(
    *, count: int, users: int, concurrency: int = 16, database_url: str | None = None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        sink = SinkSession()
        app = build_app(Settings(_env_file=None, database_url=url), bot_session=sink)
        latencies: list[float] = []
        poller = Poller(
            app.bot,
            app.dispatcher,
            concurrency=concurrency,
            on_handled=lambda _u, s: latencies.append(s),
        )
        updates = _updates(count, users)
        rows = []
        for phase in ("first", "redelivered"):
            seconds = await _deliver(poller, updates, latencies)
            rows.append(_row(phase, count, seconds, latencies))
        await app.close()
    answered = sum(sink.messages_per_chat.values())
    print(f"bench updates: {count} updates from {users} users, {url.split(':')[0]}")
    print(table(("phase", "updates", "seconds", "per_s", "p50_ms", "p99_ms"), rows))
    lost, duplicates = max(0, count - answered), max(0, answered - count)
    print(f"answered {answered}  lost {lost}  duplicates {duplicates}")
    print(f"escaped_errors {poller.escaped}")


def _row(phase: str, count: int, seconds: float, latencies: list[float]) -> list[object]:
    return [
        phase,
        count,
        seconds,
        count / seconds if seconds else 0.0,
        percentile(latencies, 0.5) * 1000,
        percentile(latencies, 0.99) * 1000,
    ]
