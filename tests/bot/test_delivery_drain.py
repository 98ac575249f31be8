"""Draining the outbox: leases after a kill, pause and cancel, not_before, priority, two senders."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

import pytest
from aiogram.methods import SendMessage, TelegramMethod
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from bot.deliveries import sender as sender_module
from bot.deliveries.sender import DeliverySender
from bot.serving import serving
from services.deliveries.control import cancel, pause, resume
from services.deliveries.enqueue import enqueue
from services.deliveries.model import (
    Representatives,
    TextContent,
)
from storage.delivery_models import RecipientState
from storage.types import utcnow
from tests.bot.delivery_kit import (
    NOTICE,
    START,
    Clock,
    FaultySession,
    add_people,
    make_sender,
    queue_notice,
    rows_of,
    state_of,
)
from tests.bot.queue_api import Queued, eventually
from tests.factories import add_delegation, add_representative

pytestmark = pytest.mark.usefixtures("engine")


async def test_rows_of_a_killed_sender_are_taken_again_after_the_lease(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None, None))
    killed = make_sender(app, api, clock, delivery_lease_seconds=60)
    claimed, _locales = await killed._claim(clock.now)  # claimed, then never marked
    assert len(claimed) == 2
    restarted = make_sender(app, api, clock, delivery_lease_seconds=60)
    assert await restarted.run_once() == 0
    assert api.requests == []
    clock.advance(seconds=61)
    assert await restarted.run_once() == 2
    assert api.texts(500) == api.texts(501) == ["明天上午九时开会"]
    assert await state_of(session, delivery) == "done"


async def test_moving_the_clock_forward_leaves_the_leases_of_rows_in_flight(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    """The demo's `:time +5h` while a batch is being sent: leases run on the wall clock, so
    the rows in flight are not taken again (and sent twice) by the next claim."""
    await queue_notice(session, await add_people(session, None, None))
    sender = make_sender(app, api, clock, delivery_lease_seconds=60)
    sender.lease_clock = utcnow  # the wall clock, as in a running bot
    claimed, _locales = await sender._claim(clock.now)
    assert len(claimed) == 2
    clock.advance(hours=5)
    assert await sender.run_once() == 0
    assert api.requests == []


async def test_paused_waits_resumed_sends_cancelled_sends_nothing(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, None, None)
    first = await queue_notice(session, people[:1], key="a")
    second = await queue_notice(session, people[1:], key="b")
    assert first.id is not None
    assert second.id is not None
    await pause(session=session, delivery_id=first.id)
    await cancel(session=session, delivery_id=second.id, now=clock.now)
    await session.commit()
    sender = make_sender(app, api, clock)
    assert await sender.run_once() == 0
    assert api.requests == []
    assert await state_of(session, first) == "paused"
    await resume(session=session, delivery_id=first.id)
    await session.commit()
    assert await sender.run_once() == 1
    assert api.texts(500) == ["明天上午九时开会"]
    assert api.texts(501) == []
    assert (await rows_of(session, second))[0].state == RecipientState.cancelled
    assert await state_of(session, second) == "cancelled"


async def test_not_before_is_honoured_across_a_restart(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    later = START.replace(hour=9)
    delivery = await queue_notice(session, await add_people(session, None), not_before=later)
    assert await make_sender(app, api, clock).run_once() == 0
    clock.now = later - timedelta(seconds=1)
    assert await make_sender(app, api, clock).run_once() == 0
    clock.advance(seconds=1)
    assert await make_sender(app, api, clock).run_once() == 1  # a new sender: a restart
    assert api.texts(500) == ["明天上午九时开会"]
    assert await state_of(session, delivery) == "done"


async def test_a_lower_priority_number_goes_first(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, None, None)
    await queue_notice(session, people, TextContent(text="公报"), key="bulletin", priority=100)
    await queue_notice(session, people[:1], TextContent(text="提醒"), key="reminder", priority=1)
    sender = make_sender(app, api, clock, delivery_batch=1)
    for _round in range(3):
        await sender.run_once()
    assert [str(m.text) for m in api.requests if isinstance(m, SendMessage)] == [
        "提醒",
        "公报",
        "公报",
    ]


async def test_two_senders_at_once_send_each_row_exactly_once(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delegation = await add_delegation(session)
    for i in range(40):
        await add_representative(session, telegram_id=700 + i, delegation=delegation)
    await enqueue(
        session=session,
        dedupe_key="bulletin:1",
        audience=Representatives(),
        content=NOTICE,
        not_before=START,
    )
    await session.commit()
    senders = [make_sender(app, api, clock, delivery_batch=7) for _ in range(2)]

    async def drain(sender: DeliverySender) -> int:
        total = 0
        while handled := await sender.run_once():
            total += handled
        return total

    counts = await asyncio.gather(*(drain(sender) for sender in senders))
    assert sum(counts) == 40
    chats = sorted(int(m.chat_id) for m in api.requests if isinstance(m, SendMessage))
    assert chats == list(range(700, 740))


async def test_the_sender_runs_while_the_bot_serves(queued: Queued, session: AsyncSession) -> None:
    app, api = queued
    await queue_notice(session, await add_people(session, None), not_before=utcnow())
    async with serving(app):
        await eventually(lambda: api.texts(500) == ["明天上午九时开会"])


async def test_rows_queued_in_this_process_are_sent_without_waiting_for_the_next_look(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, None)
    sender = make_sender(app, api, clock, delivery_poll_seconds=60)
    running = asyncio.create_task(sender.run())
    try:
        await eventually(lambda: len(api.tried) == 0 and sender.idle)
        await queue_notice(session, people)  # commits: the sender wakes
        await eventually(lambda: api.texts(500) == ["明天上午九时开会"], limit=5)
    finally:
        sender.stop()
        async with asyncio.timeout(5):
            await running


async def test_on_postgresql_rows_queued_by_another_process_wake_the_sender(
    app: App,
    session: AsyncSession,
    api: FaultySession,
    clock: Clock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another process's commit reaches this sender only through the server (NOTIFY): with
    this process's own wake-up taken away, the rows still go long before the next look."""
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("NOTIFY is PostgreSQL's; elsewhere the next look finds the rows")
    monkeypatch.setattr(sender_module, "on_queued", lambda _callback: contextlib.nullcontext())
    people = await add_people(session, None)
    sender = make_sender(app, api, clock, delivery_poll_seconds=60)
    running = asyncio.create_task(sender.run())
    try:
        await eventually(lambda: len(api.tried) == 0 and sender.idle)
        await queue_notice(session, people)
        await eventually(lambda: api.texts(500) == ["明天上午九时开会"], limit=5)
    finally:
        sender.stop()
        async with asyncio.timeout(5):
            await running


async def test_a_stopped_sender_hands_back_the_rows_it_had_not_begun(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None, None, None))
    in_flight = asyncio.Event()

    async def hang(_method: TelegramMethod[Any]) -> None:
        in_flight.set()
        await asyncio.Event().wait()

    api.during = hang
    sender = make_sender(app, api, clock, delivery_concurrency=1, delivery_lease_seconds=60)
    running = asyncio.create_task(sender.run())
    async with asyncio.timeout(10):
        await in_flight.wait()
        sender.stop()
        await running  # stops by itself: marks, hands back, returns
    rows = await rows_of(session, delivery)
    assert [(r.state, r.lease_until) for r in rows] == [
        (RecipientState.sending, START + timedelta(seconds=60)),  # Telegram may have it
        (RecipientState.queued, None),
        (RecipientState.queued, None),
    ]


async def test_a_sender_cancelled_from_outside_still_marks_and_hands_back(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None, None))
    calls = 0

    async def second_hangs(_method: TelegramMethod[Any]) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:
            await asyncio.Event().wait()

    api.during = second_hangs
    sender = make_sender(app, api, clock, delivery_concurrency=1, delivery_lease_seconds=60)
    task = asyncio.create_task(sender.run_once())
    await eventually(lambda: calls == 2, limit=5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(5):
            await task
    rows = await rows_of(session, delivery)
    assert [r.state for r in rows] == [RecipientState.sent, RecipientState.sending]


async def test_paused_while_sending_stops_between_batches_and_resumes_where_it_was(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None, None, None))
    assert delivery.id is not None
    sender = make_sender(app, api, clock, delivery_batch=1)
    assert await sender.run_once() == 1
    assert await state_of(session, delivery) == "sending"
    await pause(session=session, delivery_id=delivery.id)
    await session.commit()
    assert await sender.run_once() == 0
    await resume(session=session, delivery_id=delivery.id)
    await session.commit()
    assert await state_of(session, delivery) == "scheduled"
    while await sender.run_once():
        pass
    assert [len(api.texts(chat)) for chat in (500, 501, 502)] == [1, 1, 1]
    assert await state_of(session, delivery) == "done"


async def test_a_batch_costs_the_same_few_statements_however_many_rows(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delegation = await add_delegation(session)
    for i in range(120):
        await add_representative(session, telegram_id=900 + i, delegation=delegation)
    await enqueue(
        session=session,
        dedupe_key="bulletin:2",
        audience=Representatives(),
        content=NOTICE,
        not_before=START,
    )
    await session.commit()
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.split(None, 1)[0].upper())

    sender = make_sender(app, api, clock, delivery_batch=100)
    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    try:
        assert await sender.run_once() == 100
        per_batch = list(statements)
        statements.clear()
        assert await sender.run_once() == 20
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", record)
    # Due deliveries, expired leases (looked for at most once a second), the claim (which reads
    # each row's person), the delivery's state (once: it starts sending); the marks (one
    # statement executed for many rows); and the finish, after a batch short of full.
    assert per_batch == ["SELECT", "UPDATE", "UPDATE", "UPDATE", "UPDATE"]
    assert statements == ["SELECT", "UPDATE", "UPDATE", "UPDATE"]


async def test_what_a_batch_has_sent_is_marked_while_the_rest_is_still_on_its_way(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    delivery = await queue_notice(session, await add_people(session, None, None, None))
    stuck = asyncio.Event()

    async def second_hangs(method: TelegramMethod[Any]) -> None:
        if getattr(method, "chat_id", None) == 501:
            stuck.set()
            await asyncio.Event().wait()

    api.during = second_hangs
    sender = make_sender(app, api, clock, delivery_concurrency=1, delivery_lease_seconds=60)
    running = asyncio.create_task(sender.run_once())
    async with asyncio.timeout(5):
        await stuck.wait()
        # Killed now, the first message would not be sent again: it is marked already.
        while (await rows_of(session, delivery))[0].state != RecipientState.sent:
            await session.commit()
            await asyncio.sleep(0.05)
    rows = await rows_of(session, delivery)
    assert [r.state for r in rows] == [
        RecipientState.sent,
        RecipientState.sending,
        RecipientState.sending,
    ]
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(5):
            await running
    assert [r.state for r in await rows_of(session, delivery)] == [
        RecipientState.sent, RecipientState.sending, RecipientState.queued
    ]  # fmt: skip


async def test_a_delivery_is_done_with_the_batch_that_took_its_last_rows(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock
) -> None:
    people = await add_people(session, "zh", "zh", "zh", "zh", "zh")
    reminder = await queue_notice(session, people[:2], key="reminder:1", priority=10)
    bulletin = await queue_notice(session, people, key="bulletin:1")
    sender = make_sender(app, api, clock, delivery_batch=3)
    # The reminder's two rows and the bulletin's first fill the batch: a full batch, yet the
    # reminder is finished with it rather than after the bulletin.
    assert await sender.run_once() == 3
    assert await state_of(session, reminder) == "done"
    assert await state_of(session, bulletin) == "sending"
    assert await sender.run_once() == 3
    assert await state_of(session, bulletin) == "sending"
    assert await sender.run_once() == 1
    assert await state_of(session, bulletin) == "done"
    assert [len(api.texts(chat)) for chat in (500, 501, 502, 503, 504)] == [2, 2, 1, 1, 1]
