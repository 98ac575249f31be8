"""`bench crash`: SIGKILL the bot again and again while people write; count answers sent twice.

The bot runs as its own process (`python -m bot run`, polling) against the local Bot API
emulator, on a database of its own. Users write at a steady rate throughout; each message is
answered once (strangers get one line). After each start the bot works through what queued up
while it was down, serves the traffic for a random moment more and is killed without warning,
then started again at once (`--in-recovery` kills it while it is still catching up, when as
many answers are in flight as it can handle at once). At the end the traffic stops, the bot
catches up, and every chat's answers are counted against its messages: more is a duplicate (a
reply Telegram had accepted before its row was crossed off), fewer is a loss.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bot.benchmarks.process import BotProcess
from bot.benchmarks.report import table
from bot.emulator import Emulator, EmulatorSettings, RateLimits
from storage.migrate import upgrade

FIRST_USER = 970_000
# How long the bot serves traffic between a start and its kill, in seconds.
UP_FOR = (0.3, 1.5)
CATCH_UP = 60.0
# Each gets exactly one answer from a stranger's chat: the invitation line, help, and the
# answer to a code that is not one (a domain error, answered through the error handler).
TEXTS = ("hello", "/help", "ABCD-2345")


@dataclass
class Traffic:
    emulator: Emulator
    users: list[int]
    rate: float
    sent: int = 0

    async def run(self, stop: asyncio.Event) -> None:
        started = time.perf_counter()
        while not stop.is_set():
            user = self.users[self.sent % len(self.users)]
            self.emulator.users.send_message(user, TEXTS[self.sent % len(TEXTS)])
            self.sent += 1
            await asyncio.sleep(max(0.0, started + self.sent / self.rate - time.perf_counter()))

    def answers(self) -> dict[int, int]:
        return {u: len(self.emulator.users.messages(u)) for u in self.users}

    def expected(self) -> dict[int, int]:
        share, extra = divmod(self.sent, len(self.users))
        return {u: share + (1 if i < extra else 0) for i, u in enumerate(self.users)}


async def run_crash_bench(
    *,
    kills: int,
    users: int,
    rate: float,
    seed: int = 0,
    in_recovery: bool = False,
    database_url: str | None = None,
) -> None:
    chance = random.Random(seed)  # noqa: S311 - timing of kills, not a secret
    settings = EmulatorSettings(limits=RateLimits(enabled=False))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'crash.db'}"
        await asyncio.to_thread(upgrade, url)
        async with Emulator(settings=settings) as emulator:
            traffic = Traffic(emulator, [FIRST_USER + i for i in range(users)], rate)
            for user in traffic.users:
                emulator.users.create_user(f"访客{user}", user_id=user, language_code="en")
            bot = BotProcess(emulator, Path(folder), url)
            stop = asyncio.Event()
            await bot.start()
            writing = asyncio.create_task(traffic.run(stop))
            try:
                for _kill in range(kills):
                    if not in_recovery:
                        await _catch_up(traffic)
                    await asyncio.sleep(chance.uniform(*UP_FOR))
                    await bot.kill()
                    await bot.start()
                stop.set()
                await writing
                caught_up = await _catch_up(traffic)
                answers = traffic.answers()
            finally:
                stop.set()
                await bot.stop()
    expected = traffic.expected()
    duplicates = sum(max(0, answers[u] - expected[u]) for u in traffic.users)
    lost = sum(max(0, expected[u] - answers[u]) for u in traffic.users)
    per_50 = duplicates * 50 / kills if kills else 0.0
    moment = "while catching up" if in_recovery else "in steady traffic"
    print(
        f"bench crash: {kills} SIGKILLs {moment}, {users} users writing {rate:g} messages/s, "
        f"{_kind(url)}"
    )
    rows: list[list[object]] = [
        ["kills", kills],
        ["messages", traffic.sent],
        ["answers", sum(answers.values())],
        ["duplicates", duplicates],
        ["lost", lost],
        ["duplicates_per_50_kills", f"{per_50:.1f}"],
        ["caught_up_s", "no" if caught_up is None else f"{caught_up:.1f}"],
        ["seconds", time.perf_counter() - started],
    ]
    print(table(("figure", "value"), rows))


async def _catch_up(traffic: Traffic) -> float | None:
    """Seconds until every message has its answer (None: not within CATCH_UP)."""
    started = time.perf_counter()
    expected = traffic.expected()
    while time.perf_counter() - started < CATCH_UP:
        answers = traffic.answers()
        if all(answers[u] >= expected[u] for u in traffic.users):
            return time.perf_counter() - started
        await asyncio.sleep(0.1)
    return None


def _kind(url: str) -> str:
    return url.split(":", 1)[0]
