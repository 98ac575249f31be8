"""The delivery engine through real processes against the emulator with Telegram's limits on:
a sender killed at half way, two senders on one outbox, a blocked person who comes back, a
scheduled delivery across a restart, and a person's answer during a broadcast."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.emulator import Emulator, RateLimits
from storage.delivery_models import BLOCKED_BEFORE, RecipientState
from storage.types import utcnow
from tests.e2e.conftest import BOT_ID, BotProcess, prepare_database
from tests.e2e.delivery_kit import (
    Check,
    CountingRelay,
    SenderProcess,
    add_recipients,
    delivery_state,
    empty_postgres,
    in_flight,
    per_chat,
    queue_text,
    rows,
    sent_total,
    unreachable,
    until,
)

pytestmark = pytest.mark.e2e

# Quick to notice new rows, small batches (few rows in flight), leases that expire in a test.
QUICK = {
    "DELIVERY_POLL_SECONDS": "0.2",
    "DELIVERY_BATCH": "20",
    "DELIVERY_LEASE_SECONDS": "10",
}
PG_URL = os.environ.get("TEST_DATABASE_URL", "")


@dataclass
class World:
    emulator: Emulator
    bot: BotProcess
    sessionmaker: async_sessionmaker[AsyncSession]
    workdir: Path
    senders: list[SenderProcess] = field(default_factory=list)

    def sender(self, name: str = "sender", **settings: str) -> SenderProcess:
        made = SenderProcess({**self.bot.env(), **settings}, self.workdir, name)
        self.senders.append(made)
        return made

    async def close(self) -> None:
        processes: list[BotProcess | SenderProcess] = [self.bot, *self.senders]
        for process in processes:
            await process.stop()


async def _world(
    emulator: Emulator, tmp_path: Path, database_url: str
) -> tuple[World, AsyncEngine]:
    bot = BotProcess(emulator, tmp_path, database_url=database_url, extra_env=dict(QUICK))
    engine, sessionmaker = await prepare_database(database_url)
    return World(emulator, bot, sessionmaker, tmp_path), engine


@pytest.fixture
async def world(emulator: Emulator, tmp_path: Path) -> AsyncIterator[World]:
    """On TEST_DATABASE_URL when it is PostgreSQL (emptied first), else on SQLite."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}"
    if PG_URL.startswith("postgresql"):
        url = PG_URL
        await empty_postgres(url)
    made, engine = await _world(emulator, tmp_path, url)
    yield made
    await made.close()
    await engine.dispose()


@pytest.fixture
def pg_world(world: World) -> World:
    if not PG_URL.startswith("postgresql"):
        pytest.skip("needs TEST_DATABASE_URL on PostgreSQL: SKIP LOCKED between processes")
    return world


async def test_a_sender_killed_half_way_loses_none_and_repeats_at_most_its_rows_in_flight(
    world: World,
) -> None:
    chats = list(range(960_000, 960_240))
    people = await add_recipients(world.emulator, world.sessionmaker, chats)
    delivery = await queue_text(world.sessionmaker, "bulletin:kill", people, "第七期简报", utcnow())
    sender = world.sender()
    await sender.start()
    await until(lambda: sent_total(world.emulator) >= len(chats) // 2, 30, "half sent")
    await sender.kill()
    # Claimed and not marked: the messages Telegram may have taken just before the kill.
    claimed = await in_flight(world.sessionmaker, delivery)
    assert 0 < claimed <= 2 * int(QUICK["DELIVERY_BATCH"])  # the pipeline's batches
    assert sent_total(world.emulator) < len(chats)

    await sender.start()  # rows queued go at once; those claimed once their lease expires
    await until(
        lambda: all(per_chat(world.emulator)[chat] for chat in chats), 40, "every chat reached"
    )
    await until(_is(world.sessionmaker, delivery, "done"), 10, lambda: f"done:\n{sender.log()}")
    counts = per_chat(world.emulator)
    assert [chat for chat in chats if counts[chat] == 0] == []  # lost: none
    duplicated = sum(counts[chat] - 1 for chat in chats)
    assert duplicated <= claimed
    assert {row.state for row in await rows(world.sessionmaker, delivery)} == {RecipientState.sent}
    assert [m["text"] for m in world.emulator.users.messages(chats[0])][:1] == ["第七期简报"]


def _is(sessionmaker: async_sessionmaker[AsyncSession], delivery: int, state: str) -> Check:
    async def check() -> bool:
        return await delivery_state(sessionmaker, delivery) == state

    return check


async def test_two_sender_processes_on_postgresql_send_each_message_once(
    pg_world: World,
) -> None:
    world = pg_world
    world.emulator.state.limiter.configure(RateLimits(bot_per_second=2000, bot_burst=2000))
    chats = list(range(961_000, 961_600))
    people = await add_recipients(world.emulator, world.sessionmaker, chats)
    fast = {"SEND_RATE": "300", "DELIVERY_RATE": "300"}
    async with (
        CountingRelay(world.emulator.base_url) as first_relay,
        CountingRelay(world.emulator.base_url) as second_relay,
    ):
        senders = [
            world.sender(name, TELEGRAM_API_URL=relay.url, **fast)
            for name, relay in (("first", first_relay), ("second", second_relay))
        ]
        try:
            for sender in senders:
                await sender.start()
            delivery = await queue_text(world.sessionmaker, "two", people, "简报", utcnow())
            await until(
                _is(world.sessionmaker, delivery, "done"), 30, "delivery done by two senders"
            )
        finally:
            for sender in senders:
                await sender.stop()
    counts = per_chat(world.emulator)
    assert {chat: counts[chat] for chat in chats} == dict.fromkeys(chats, 1)
    shares = [first_relay.accepted["sendMessage"], second_relay.accepted["sendMessage"]]
    assert sum(shares) == len(chats)
    assert min(shares) > 0, f"one sender did all the work: {shares}"


async def test_a_person_who_blocked_the_bot_is_skipped_until_they_write_again(
    world: World,
) -> None:
    chats = [962_001, 962_002, 962_003]
    people = await add_recipients(world.emulator, world.sessionmaker, chats)
    blocker, blocker_chat = people[0], chats[0]
    state = world.emulator.state.bot(BOT_ID)
    await world.bot.start()
    # They block the bot, and the member update saying so is lost (Telegram keeps updates a
    # day): the 403 of the first notice is the bot's first news of it.
    state.blocked_by.add(blocker_chat)

    first = await queue_text(world.sessionmaker, "notice:1", people, "第一次通知", utcnow())
    await until(_is(world.sessionmaker, first, "done"), 20, "the first notice sent")
    outcome = {row.person_id: row for row in await rows(world.sessionmaker, first)}
    assert outcome[blocker].state == RecipientState.unreachable
    assert outcome[blocker].error == "Forbidden: bot was blocked by the user"
    assert await unreachable(world.sessionmaker, blocker)
    assert [per_chat(world.emulator)[chat] for chat in chats] == [0, 1, 1]

    tried = state.method_calls["sendMessage"]
    second = await queue_text(world.sessionmaker, "notice:2", people, "第二次通知", utcnow())
    await until(_is(world.sessionmaker, second, "done"), 20, "the second notice sent")
    assert state.method_calls["sendMessage"] - tried == 2  # nothing even tried for the blocker
    outcome = {row.person_id: row for row in await rows(world.sessionmaker, second)}
    assert (outcome[blocker].state, outcome[blocker].error) == (
        RecipientState.unreachable,
        BLOCKED_BEFORE,
    )

    # They unblock, again unannounced, and write: that is proof enough.
    state.blocked_by.discard(blocker_chat)
    world.emulator.users.send_command(blocker_chat, "/help")
    await world.emulator.users.next_message(blocker_chat, 20)

    async def reachable() -> bool:
        return not await unreachable(world.sessionmaker, blocker)

    await until(reachable, 10, lambda: f"the blocker reachable again:\n{world.bot.log()}")
    third = await queue_text(world.sessionmaker, "notice:3", people, "第三次通知", utcnow())
    await until(_is(world.sessionmaker, third, "done"), 20, "the third notice sent")
    texts = [m.get("text") for m in world.emulator.users.messages(blocker_chat)]
    assert texts[-1] == "第三次通知"
    assert "第一次通知" not in texts
    assert "第二次通知" not in texts
    assert [per_chat(world.emulator)[chat] for chat in chats[1:]] == [3, 3]


async def test_a_scheduled_delivery_survives_a_restart_and_waits_for_its_time(
    world: World,
) -> None:
    chats = [963_001, 963_002, 963_003]
    people = await add_recipients(world.emulator, world.sessionmaker, chats)
    sender = world.sender()
    await sender.start()
    due = time.time() + 3
    arrivals = [asyncio.create_task(_arrival(world.emulator, chat)) for chat in chats]
    when = datetime.fromtimestamp(due, UTC)
    delivery = await queue_text(world.sessionmaker, "meeting:9:T-0", people, "会议开始", when)
    # The first sender looks every 0.2 s and is stopped a moment before the time.
    await until(lambda: time.time() >= due - 0.5, 10, "shortly before the time")
    assert await sender.stop() == 0
    assert await delivery_state(world.sessionmaker, delivery) == "scheduled"
    await sender.start()  # the restart: nothing of the schedule lives in memory
    async with asyncio.timeout(30):
        arrived = await asyncio.gather(*arrivals)
    assert [text for text, _ in arrived] == ["会议开始"] * len(chats)
    early = [due - at for _, at in arrived if at < due]
    assert early == [], f"sent before its time by {early} s"
    await until(_is(world.sessionmaker, delivery, "done"), 10, "delivery done")
    assert await sender.stop() == 0


async def _arrival(emulator: Emulator, chat: int) -> tuple[str, float]:
    """The first message the chat receives, and when (wall clock), seen as it is stored."""
    message = await emulator.users.next_message(chat, 60)
    return str(message["text"]), time.time()


async def test_a_person_is_answered_at_once_while_the_bot_sends_a_broadcast(
    world: World,
) -> None:
    chats = list(range(964_000, 964_300))
    people = await add_recipients(world.emulator, world.sessionmaker, chats)
    await world.bot.start()
    await queue_text(world.sessionmaker, "bulletin:busy", people, "第八期简报", utcnow())
    await until(lambda: sent_total(world.emulator) >= 60, 20, "the broadcast under way")
    waits = []
    for visitor in (964_901, 964_902, 964_903):
        world.emulator.users.create_user("Visitor", user_id=visitor, language_code="en")
        asked = time.monotonic()
        world.emulator.users.send_command(visitor, "/help")
        await world.emulator.users.next_message(visitor, 10)
        waits.append(time.monotonic() - asked)
    assert sent_total(world.emulator) < len(chats), "the broadcast ended before the questions"
    assert max(waits) < 1.5, f"answers took {waits}"
