"""`bench delivery`: the delivery engine at Telegram's limits, against a Bot API server over HTTP.

The bot runs as its own process (`python -m bot run`): it sends the broadcast and answers the
people who write meanwhile, both through its token's one budget, as in production. By default
the server is the project's emulator, started here, enforcing Telegram's limits; `--api-url`
points the same engine at another server, whose own limits and faults then apply (it must offer
the emulator's control API, to create recipients and count what each chat received).

Per scenario: rows handled (sent, unreachable or failed) over the seconds from the broadcast's
due time to its last row's end, against DELIVERY_RATE (`ratio_wall`), and over those seconds
less the ones the engine was not allowed to send (`ratio`): the pauses the injected 429s asked
for (`paused_s`, their union) and the time from a kill to the restarted bot polling (`down_s`);
`lost` is a reachable recipient whose
chat received nothing, `duplicated` every message beyond one in a chat — both from what the
server stored, compared with the rows; `in_flight` the rows claimed and unmarked at the kill
(the most a kill may duplicate); latency from due to sent; and the 99th percentile of the
answers to people who wrote during the broadcast, from their message to the answer: of all
of them, and of those whose wait met no pause and no downtime (`answer_p99_open_ms`). The
line under the table says how long queueing the broadcast took and when its first row was sent:
the bench queues it from its own process, so the bot finds it at its next poll
(DELIVERY_POLL_SECONDS), as a second process would.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.benchmarks.delivery_process import EngineProcess
from bot.benchmarks.delivery_world import (
    ASKERS,
    FIRST_ASKER,
    FIRST_RECIPIENT,
    Askers,
    Server,
    broadcast,
    in_flight,
    left,
    recipients,
    seed_people,
)
from bot.benchmarks.report import covered, merged, percentile, table
from bot.emulator import Emulator, EmulatorClient, EmulatorSettings
from services.config import Settings
from storage.db import create_engine, create_sessionmaker
from storage.delivery_models import RecipientState
from storage.migrate import upgrade

DEFAULT_RATE = float(Settings.model_fields["delivery_rate"].default)
CAPACITY_RATE = 1000.0
# A person writes to the bot this often (seconds) while a broadcast runs.
ASK_EVERY = 1.0
# A killed sender's rows come back after their lease; the default (300 s) would outlast the run.
KILL_LEASE_SECONDS = "30"
FAULTS = {
    # 5 % 429 (retry_after 1–3 s) and 1 % 502, on sendMessage; 2 % of recipients blocked the bot.
    "share": 0.06,
    "kinds": ["429"] * 5 + ["502"],
    "retry_after": 1,
    "retry_after_max": 3,
    "methods": ["sendmessage"],
    "seed": 10,
}
BLOCKED_EVERY = 50
SCENARIOS = ("clean", "faults", "kill", "capacity")
EMULATOR_ONLY = ("faults", "capacity")


@dataclass(frozen=True)
class Scenario:
    name: str
    recipients: int
    rate: float
    settings: dict[str, str] = field(default_factory=dict)
    limits: dict[str, object] = field(default_factory=dict)
    faults: dict[str, object] = field(default_factory=dict)
    blocked: bool = False
    kill_at: float | None = None


def scenarios(names: Sequence[str], recipients: int, capacity: int) -> list[Scenario]:
    rate = {"DELIVERY_RATE": f"{DEFAULT_RATE:g}"}
    paid = {
        "SEND_RATE": f"{CAPACITY_RATE:g}",
        "DELIVERY_RATE": f"{CAPACITY_RATE:g}",
        "DELIVERY_PAID_BROADCAST": "true",
    }
    every = {
        "clean": Scenario("clean", recipients, DEFAULT_RATE, rate),
        "faults": Scenario("faults", recipients, DEFAULT_RATE, rate, faults=FAULTS, blocked=True),
        "kill": Scenario(
            "kill",
            recipients,
            DEFAULT_RATE,
            {**rate, "DELIVERY_LEASE_SECONDS": KILL_LEASE_SECONDS},
            kill_at=0.5,
        ),
        "capacity": Scenario(
            "capacity",
            capacity,
            CAPACITY_RATE,
            paid,
            limits={"bot_per_second": CAPACITY_RATE, "bot_burst": int(CAPACITY_RATE)},
        ),
    }
    return [every[name] for name in names]


async def run_delivery_bench(
    *,
    recipients: int = 3000,
    capacity_recipients: int = 20_000,
    database_url: str | None = None,
    api_url: str | None = None,
    names: Sequence[str] = SCENARIOS,
) -> None:
    chosen = scenarios(names, recipients, capacity_recipients)
    skipped = [s.name for s in chosen if api_url and s.name in EMULATOR_ONLY]
    chosen = [s for s in chosen if s.name not in skipped]
    with tempfile.TemporaryDirectory() as folder:
        url = database_url or f"sqlite+aiosqlite:///{Path(folder) / 'delivery.db'}"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        maker = create_sessionmaker(engine)
        try:
            async with _server(api_url) as (server, token, where):
                people = await seed_people(maker, max((s.recipients for s in chosen), default=0))
                await server.create_users(FIRST_RECIPIENT, len(people))
                await server.create_users(FIRST_ASKER, ASKERS)
                process = EngineProcess(
                    api_url=api_url or str(where),
                    token=token,
                    database_url=url,
                    workdir=Path(folder),
                    polls=server.polls,
                )
                print(f"bench delivery: {url.split(':', 1)[0]}, Bot API server {where}")
                rows = [
                    await _run(s, server, process, maker, people, bool(api_url)) for s in chosen
                ]
        finally:
            await engine.dispose()
    headers = (
        "scenario", "recipients", "rate_cfg", "rate", "ratio_wall", "paused_s", "down_s",
        "ratio", "lost", "duplicated", "unreachable", "in_flight", "p50_s", "p99_s",
        "answer_p99_ms", "answer_p99_open_ms",
    )  # fmt: skip
    print(table(headers, [row for row, _ in rows]))
    for name, note in [(row[0], note) for row, note in rows if note]:
        print(f"{name}: {note}")
    for name in skipped:
        print(f"{name}: skipped, it needs the emulator's own limits and faults (--api-url given)")


@asynccontextmanager
async def _server(api_url: str | None) -> AsyncIterator[tuple[Server, str, str]]:
    """The server, a token for the bot, and where it listens."""
    if api_url is not None:
        async with EmulatorClient(api_url) as client:
            bot_id = str((await client.info())["token"]).split(":", 1)[0]
            yield Server(client), f"{bot_id}:" + "delivery-bench-" * 2, api_url
        return
    async with (
        Emulator(settings=EmulatorSettings()) as emulator,
        EmulatorClient(emulator.base_url) as client,
    ):
        token = f"{emulator.state.bot().id}:" + "delivery-bench-" * 2
        yield Server(client, emulator), token, emulator.base_url


async def _run(
    scenario: Scenario,
    server: Server,
    process: EngineProcess,
    maker: async_sessionmaker[AsyncSession],
    people: list[int],
    remote: bool,
) -> tuple[list[object], str]:
    n = scenario.recipients
    client = server.client
    if not remote:
        await client.set_limits(**scenario.limits)
        await client.set_faults(**(scenario.faults or {"share": 0.0}))
    blocked = [FIRST_RECIPIENT + i for i in range(0, n, BLOCKED_EVERY)] if scenario.blocked else []
    for chat in blocked:
        await client.block(chat)
    before = await server.messages_per_chat()
    injected_before = (await client.counters())["faults_injected"]
    await process.start(scenario.settings)
    cpu_before = (process.cpu_seconds(), time.process_time())
    delivery_id, due = await broadcast(maker, people[:n], scenario.name)
    queued = time.time() - due.timestamp()
    askers, stop = Askers(server, ASK_EVERY), asyncio.Event()
    asking = asyncio.create_task(askers.run(stop))
    flying: int | str = "-"
    restart = ""
    downs: list[tuple[float, float]] = []
    try:
        if scenario.kill_at is not None:
            await _until_sent(server, before, int(n * scenario.kill_at))
            await process.kill()
            flying = await in_flight(maker, delivery_id)
            killed = time.time()
            await process.start(scenario.settings)
            downs.append((killed, time.time()))
            restart = f"restarted and polling in {downs[-1][1] - killed:.1f} s"
        await _until_done(maker, delivery_id, within=n / scenario.rate * 5 + 120)
        cpu_after = (process.cpu_seconds(), time.process_time())
    finally:
        stop.set()
        await asking
        await process.stop()
        for chat in blocked:
            await client.unblock(chat)
    after = await server.messages_per_chat()
    rows = await recipients(maker, delivery_id)
    got = {r.chat_id: after.get(r.chat_id, 0) - before.get(r.chat_id, 0) for r in rows}
    ended = [(r.ended_at - due).total_seconds() for r in rows if r.ended_at is not None]
    seconds = max(ended, default=0.0)
    rate = len(ended) / seconds if seconds else 0.0
    # The seconds the engine was allowed to send: not those Telegram asked it to pause (the
    # whole token waits out every 429), nor those the bot was down and starting again.
    start = due.timestamp()
    pauses = await server.pauses()
    closed = merged([*pauses, *downs])
    paused = covered(pauses, start, start + seconds)
    down = covered(downs, start, start + seconds)
    open_seconds = seconds - covered(closed, start, start + seconds)
    ratio = len(ended) / (scenario.rate * open_seconds) if open_seconds > 0 else 0.0
    lost = sum(1 for r in rows if r.state != RecipientState.unreachable and not got[r.chat_id])
    row: list[object] = [
        scenario.name,
        n,
        scenario.rate,
        rate,
        f"{rate / scenario.rate:.3f}",
        paused,
        down,
        f"{ratio:.3f}",
        lost,
        sum(max(0, count - 1) for count in got.values()),
        sum(1 for r in rows if r.state == RecipientState.unreachable),
        flying,
        percentile(ended, 0.5),
        percentile(ended, 0.99),
        f"{percentile(askers.latencies, 0.99) * 1000:.0f}",
        f"{percentile(askers.open_latencies(closed), 0.99) * 1000:.0f}",
    ]
    injected = (await client.counters())["faults_injected"]
    faults = {kind: injected[kind] - injected_before.get(kind, 0) for kind in injected}
    note = ", ".join(f"{kind} injected {count}" for kind, count in faults.items() if count)
    answers = f"{len(askers.latencies)} answers to {askers.asked} messages"
    start_up = f"queued in {queued:.2f} s, first sent {min(ended, default=0.0):.2f} s after due"
    cpu = _cpu_per_row(cpu_before, cpu_after, len(ended), killed=bool(restart), remote=remote)
    return row, "; ".join(part for part in (note, restart, answers, start_up, cpu) if part)


def _cpu_per_row(
    before: tuple[float | None, float],
    after: tuple[float | None, float],
    rows: int,
    *,
    killed: bool,
    remote: bool,
) -> str:
    """CPU milliseconds per row handled, from the broadcast's start to its end: in the bot's
    process (not across a kill: the restarted process counts from zero) and in this one, which
    serves the emulator (and, lightly, the bench's own polling)."""
    if not rows:
        return ""
    parts = []
    if not killed and before[0] is not None and after[0] is not None:
        parts.append(f"bot {(after[0] - before[0]) * 1000 / rows:.2f}")
    if not remote:
        parts.append(f"emulator {(after[1] - before[1]) * 1000 / rows:.2f}")
    return f"CPU ms per row: {', '.join(parts)}" if parts else ""


async def _until_sent(server: Server, before: dict[int, int], count: int) -> None:
    while True:
        now = await server.messages_per_chat()
        sent = sum(
            max(0, n - before.get(chat, 0)) for chat, n in now.items() if chat >= FIRST_RECIPIENT
        )
        if sent >= count:
            return
        await asyncio.sleep(0.05)


async def _until_done(
    maker: async_sessionmaker[AsyncSession], delivery_id: int, *, within: float
) -> None:
    started = time.perf_counter()
    while await left(maker, delivery_id):
        if time.perf_counter() - started > within:
            raise TimeoutError(f"delivery {delivery_id} not done in {within:.0f} s")
        await asyncio.sleep(0.25)
