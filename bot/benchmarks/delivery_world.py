"""What `bench delivery` sets up and reads back: recipients in the database and on the Bot API
server, the broadcast itself, and each recipient's end as the database and the server tell it."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import ColumnElement, func, insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from bot.benchmarks.report import overlaps
from bot.emulator import Emulator, EmulatorClient
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TextContent
from storage.delivery_models import Delivery, DeliveryRecipient, DeliveryState, RecipientState
from storage.models import Person
from storage.types import utcnow

FIRST_RECIPIENT = 880_000_000
FIRST_ASKER = 870_000_000
ASKERS = 5
KEY_PREFIX = "bench:delivery:"
_INSERTS = 1000
_ENDED = (RecipientState.sent, RecipientState.unreachable, RecipientState.failed)
_LEFT = (RecipientState.queued, RecipientState.sending)


@dataclass(frozen=True)
class Recipient:
    chat_id: int
    state: RecipientState
    ended_at: datetime | None


async def seed_people(maker: async_sessionmaker[AsyncSession], count: int) -> list[int]:
    """Person ids of the first `count` recipients, inserted where missing (a database kept
    between runs is reused as it is)."""
    wanted = range(FIRST_RECIPIENT, FIRST_RECIPIENT + count)
    async with maker.begin() as session:
        have = set(
            (await session.scalars(select(Person.telegram_id).where(_bench_people(count)))).all()
        )
        now = utcnow()
        new = [
            {
                "name": f"代表{telegram_id - FIRST_RECIPIENT}",
                "telegram_id": telegram_id,
                "language": ("zh", "en")[telegram_id % 2],
                "unreachable": False,
                "created_at": now,
                "updated_at": now,
            }
            for telegram_id in wanted
            if telegram_id not in have
        ]
        for start in range(0, len(new), _INSERTS):
            await session.execute(insert(Person), new[start : start + _INSERTS])
        query = select(Person.id).where(_bench_people(count)).order_by(col(Person.telegram_id))
        return [found for found in (await session.scalars(query)).all() if found is not None]


def _bench_people(count: int) -> ColumnElement[bool]:
    return col(Person.telegram_id).between(FIRST_RECIPIENT, FIRST_RECIPIENT + count - 1)


async def broadcast(
    maker: async_sessionmaker[AsyncSession], person_ids: list[int], name: str
) -> tuple[int, datetime]:
    """Everybody reachable again, no earlier bench broadcast still going, and a new one due
    now; its id and due time. The clock starts when the broadcast is queued: resetting the
    people and the earlier broadcasts is the bench's own housekeeping, not the engine's."""
    async with maker.begin() as session:
        await session.execute(
            update(Person).where(col(Person.id).in_(person_ids)).values(unreachable=False)
        )
        await session.execute(
            update(Delivery)
            .where(
                col(Delivery.dedupe_key).startswith(KEY_PREFIX),
                col(Delivery.state).in_((DeliveryState.scheduled, DeliveryState.sending)),
            )
            .values(state=DeliveryState.cancelled)
        )
    due = utcnow()
    async with maker.begin() as session:
        delivery = await enqueue(
            session=session,
            dedupe_key=f"{KEY_PREFIX}{name}:{time.time_ns()}",
            audience=People(person_ids),
            content=TextContent("《代表工作》第 12 期已发布 — Bulletin no. 12 is out."),
            not_before=due,
        )
        assert delivery.id is not None  # noqa: S101 - flushed by enqueue
        return delivery.id, due


async def count_rows(
    maker: async_sessionmaker[AsyncSession], delivery_id: int, states: tuple[RecipientState, ...]
) -> int:
    async with maker() as session:
        query = select(func.count()).where(
            col(DeliveryRecipient.delivery_id) == delivery_id,
            col(DeliveryRecipient.state).in_(states),
        )
        return int((await session.execute(query)).scalar_one())


async def left(maker: async_sessionmaker[AsyncSession], delivery_id: int) -> int:
    return await count_rows(maker, delivery_id, _LEFT)


async def in_flight(maker: async_sessionmaker[AsyncSession], delivery_id: int) -> int:
    """Rows claimed and not marked: what a sender killed now may have sent unrecorded."""
    return await count_rows(maker, delivery_id, (RecipientState.sending,))


async def recipients(maker: async_sessionmaker[AsyncSession], delivery_id: int) -> list[Recipient]:
    """Each row's state and when it ended: sent_at, or the moment it was given up on."""
    async with maker() as session:
        rows = await session.execute(
            select(
                DeliveryRecipient.chat_id,
                DeliveryRecipient.state,
                DeliveryRecipient.sent_at,
                DeliveryRecipient.next_try_at,
            ).where(col(DeliveryRecipient.delivery_id) == delivery_id)
        )
        return [
            Recipient(chat, state, sent or (tried if state in _ENDED else None))
            for chat, state, sent, tried in rows.all()
        ]


@dataclass
class Server:
    """The Bot API server as the bench sees it: its control API (the emulator's), and the
    emulator's memory when it runs in this process (creating thousands of users is faster)."""

    client: EmulatorClient
    local: Emulator | None = None

    async def create_users(self, first: int, count: int) -> None:
        if self.local is not None:
            for user_id in range(first, first + count):
                self.local.users.create_user(f"代表{user_id}", user_id=user_id, language_code="zh")
            return
        for start in range(first, first + count, 50):
            ids = range(start, min(first + count, start + 50))
            await asyncio.gather(
                *(self.client.create_user(f"代表{u}", id=u, language_code="zh") for u in ids)
            )

    async def messages_per_chat(self) -> dict[int, int]:
        counters = await self.client.counters()
        return {int(chat): n for chat, n in counters["messages_per_chat"].items()}

    async def pauses(self) -> list[tuple[float, float]]:
        """(from, to) in wall-clock time of each pause an injected 429 asked for."""
        counters = await self.client.counters()
        return [(at, at + seconds) for at, seconds in counters.get("pauses_injected", [])]

    async def polls(self) -> int:
        counters = await self.client.counters()
        return int(counters["method_calls"].get("getUpdates", 0))


@dataclass
class Askers:
    """People who write to the bot now and then during the broadcast; each answer's latency is
    taken from the moment they wrote until the answer reached the server."""

    server: Server
    every: float
    latencies: list[float] = field(default_factory=list)
    # (asked, answered) in wall-clock time, one per latency, to set against the pauses.
    spans: list[tuple[float, float]] = field(default_factory=list)
    asked: int = 0
    unanswered: int = 0

    async def run(self, stop: asyncio.Event) -> None:
        tasks: list[asyncio.Task[None]] = []
        started = time.perf_counter()
        while not stop.is_set():
            tasks.append(asyncio.create_task(self._ask(FIRST_ASKER + self.asked % ASKERS)))
            self.asked += 1
            wait = started + self.asked * self.every - time.perf_counter()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), max(0.0, wait))
        await asyncio.gather(*tasks)

    async def _ask(self, user_id: int) -> None:
        sent, asked = time.perf_counter(), time.time()
        await self.server.client.send_message(user_id, "hello")
        try:
            await self.server.client.next_message(user_id, wait_seconds=30)
        except TimeoutError:
            self.unanswered += 1
            return
        latency = time.perf_counter() - sent
        self.latencies.append(latency)
        self.spans.append((asked, asked + latency))

    def open_latencies(self, closed: list[tuple[float, float]]) -> list[float]:
        """The latencies of the answers whose wait met none of the `closed` intervals."""
        return [
            latency
            for latency, (asked, answered) in zip(self.latencies, self.spans, strict=True)
            if not overlaps(closed, asked, answered)
        ]
