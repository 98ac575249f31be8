"""`bench updates`: bare aiogram and the app side by side, through the same polling loop.

Both get the same updates on a null Bot API (bot.benchmarks.sink), in alternating rounds so that
the machine's load weighs on both alike; `ratio` is the app's rate over aiogram's. Then the app
gets the same updates again — what follows a crash before the offset was confirmed: every one
must be recognised as handled and skipped, so nobody is answered twice. Last, updates are offered
at a fixed rate and each one's latency is taken from the moment it was due, queueing included.
"""

from __future__ import annotations

import asyncio
import itertools
import secrets
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from aiogram import Bot, Dispatcher
from aiogram.types import Chat, Message, Update, User

from bot.app import build_app
from bot.benchmarks.bare import bare_dispatcher
from bot.benchmarks.report import percentile, table
from bot.benchmarks.sink import SinkSession
from bot.budget_rules import unpaced
from bot.polling import Poller
from services.config import Settings
from storage.migrate import upgrade

BATCH = 100  # what one getUpdates call returns at most
WARM_UP = 100
_TEXTS = ("/start", "/help", "你好", "/lang")
# Fresh update ids on every run, so that a database kept between runs skips nothing.
_ids = itertools.count(secrets.randbelow(2**40) * 1000)


def make_updates(count: int, users: int) -> list[Update]:
    updates = []
    for number in range(count):
        user = User(id=10_000 + number % users, is_bot=False, first_name="代表", language_code="zh")
        message = Message(
            message_id=number + 1,
            date=datetime.now(UTC),
            chat=Chat(id=user.id, type="private"),
            from_user=user,
            text=_TEXTS[number % len(_TEXTS)],
        )
        updates.append(Update(update_id=next(_ids), message=message))
    return updates


@dataclass
class Side:
    name: str
    bot: Bot
    sink: SinkSession
    poller: Poller
    latencies: list[float] = field(default_factory=list)

    @classmethod
    def make(cls, name: str, bot: Bot, dispatcher: Dispatcher, concurrency: int) -> Side:
        assert isinstance(bot.session, SinkSession)  # noqa: S101 - built just before
        latencies: list[float] = []
        poller = Poller(
            bot, dispatcher, concurrency=concurrency, on_handled=lambda _u, s: latencies.append(s)
        )
        return cls(name, bot, bot.session, poller, latencies)

    async def throughput(self, updates: Sequence[Update]) -> float:
        """Batches of 100, as getUpdates hands them over; returns the seconds taken."""
        started = time.perf_counter()
        for start in range(0, len(updates), BATCH):
            await self.poller.handle_batch(updates[start : start + BATCH])
        return time.perf_counter() - started

    async def offered(self, updates: Sequence[Update], rate: float) -> list[float]:
        """Each update handed in when due; latency counts from then, waiting included."""
        latencies: list[float] = []

        async def one(update: Update, due: float) -> None:
            await self.poller.handle_batch([update])
            latencies.append(time.perf_counter() - due)

        tasks = []
        start = time.perf_counter()
        for index, update in enumerate(updates):
            due = start + index / rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            tasks.append(asyncio.create_task(one(update, due)))
        await asyncio.gather(*tasks)
        return latencies


@dataclass
class Tally:
    updates: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def row(self, side: str, phase: str, ratio: float | str = "") -> list[object]:
        ms = [percentile(self.latencies, share) * 1000 for share in (0.5, 0.99)]
        return [side, phase, self.updates, self.seconds, self.rate, *ms, ratio]


async def run_updates_bench(
    *,
    count: int,
    users: int,
    concurrency: int = 16,
    database_url: str | None = None,
    rounds: int = 2,
    rate: float = 100.0,
    offered: int = 1000,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        settings = unpaced(Settings(_env_file=None, database_url=url))
        app = build_app(settings, bot_session=SinkSession())
        bare_bot = Bot(app.bot.token, session=SinkSession())
        sides = (
            Side.make("aiogram", bare_bot, bare_dispatcher(), concurrency),
            Side.make("app", app.bot, app.dispatcher, concurrency),
        )
        try:
            rows, expected = await _measure(sides, count, users, rounds, rate, offered)
        finally:
            await bare_bot.session.close()
            await app.close()
    answered = sum(sides[1].sink.messages_per_chat.values())
    print(
        f"bench updates: {count} updates x {rounds} rounds from {users} users, "
        f"{concurrency} in flight, {url.split(':')[0]}"
    )
    headers = ("side", "phase", "updates", "seconds", "per_s", "p50_ms", "p99_ms", "ratio")
    print(table(headers, rows))
    lost, duplicates = max(0, expected - answered), max(0, answered - expected)
    print(f"answered {answered}  lost {lost}  duplicates {duplicates}")
    print(f"escaped_errors {sides[1].poller.escaped}")


async def _measure(
    sides: tuple[Side, Side], count: int, users: int, rounds: int, rate: float, offered: int
) -> tuple[list[list[object]], int]:
    app = sides[1]
    for side in sides:
        await side.throughput(make_updates(WARM_UP, users))
    tallies = {side.name: Tally() for side in sides}
    last: list[Update] = []
    for _round in range(rounds):
        for side in sides:
            last = make_updates(count, users)
            del side.latencies[:]
            tally = tallies[side.name]
            tally.seconds += await side.throughput(last)
            tally.updates += count
            tally.latencies += side.latencies
    ratio = tallies["app"].rate / tallies["aiogram"].rate if tallies["aiogram"].rate else 0.0
    rows = [
        tallies["aiogram"].row("aiogram", "first"),
        tallies["app"].row("app", "first", f"{ratio:.3f}"),
    ]
    del app.latencies[:]
    again = Tally(count, await app.throughput(last), list(app.latencies))
    rows.append(again.row("app", "redelivered"))
    expected = WARM_UP + count * rounds
    if rate > 0 and offered > 0:
        for side in sides:
            updates = make_updates(offered, users)
            latencies = await side.offered(updates, rate)
            tally = Tally(offered, offered / rate, latencies)
            rows.append(tally.row(side.name, f"{rate:g}/s offered"))
        expected += offered
    return rows, expected
