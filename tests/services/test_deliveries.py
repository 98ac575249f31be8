"""Queueing deliveries: dedupe keys, audiences, bulk inserts, pause/resume/cancel, progress."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event, insert, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col, select

from services.deliveries.control import WrongDeliveryState, cancel, pause, progress, resume
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, PhotoContent, Representatives, TextContent
from services.errors import BadInput, NotFound
from storage.db import create_sessionmaker
from storage.delivery_models import Delivery, DeliveryRecipient, DeliveryState, RecipientState
from storage.models import Level, Mandate, Person
from tests.factories import add_delegation, add_representative

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
HELLO = TextContent(text="各位代表好")


async def _rows(session: AsyncSession, delivery: Delivery) -> list[DeliveryRecipient]:
    found = await session.scalars(
        select(DeliveryRecipient)
        .where(DeliveryRecipient.delivery_id == delivery.id)
        .order_by(col(DeliveryRecipient.person_id))
        .execution_options(populate_existing=True)
    )
    return list(found.all())


async def _people(session: AsyncSession) -> list[Person]:
    delegation = await add_delegation(session)
    return [
        await add_representative(session, telegram_id=101, delegation=delegation, name="甲"),
        await add_representative(session, telegram_id=102, delegation=delegation, name="乙"),
        await add_representative(session, telegram_id=None, delegation=delegation, name="丙"),
    ]


async def _queue(session: AsyncSession, key: str, people: list[Person], **kw: Any) -> Delivery:
    return await enqueue(
        session=session,
        dedupe_key=key,
        audience=People([p.id for p in people if p.id is not None]),
        content=kw.pop("content", HELLO),
        not_before=kw.pop("not_before", NOW),
        **kw,
    )


async def test_one_row_per_person_with_an_account_the_rest_counted(session: AsyncSession) -> None:
    people = await _people(session)
    people[1].unreachable = True
    session.add(people[1])
    delivery = await _queue(session, "notice:1", people, priority=5, author_telegram_id=7)
    await session.commit()
    rows = await _rows(session, delivery)
    assert [(r.chat_id, r.state, r.dedupe_key) for r in rows] == [
        (101, RecipientState.queued, f"notice:1:person:{people[0].id}"),
        (102, RecipientState.unreachable, f"notice:1:person:{people[1].id}"),
    ]
    assert rows[0].next_try_at == NOW
    assert rows[1].error == "unreachable before sending"
    assert (delivery.skipped, delivery.state, delivery.priority) == (1, DeliveryState.scheduled, 5)
    assert delivery.audience == {"people": 3}
    assert (delivery.kind, delivery.text, delivery.author_telegram_id) == ("text", "各位代表好", 7)


async def test_the_same_key_again_returns_the_first_delivery_and_queues_nothing(
    session: AsyncSession,
) -> None:
    people = await _people(session)
    first = await _queue(session, "meeting:42:T-1d", people[:1])
    await session.commit()
    again = await _queue(session, "meeting:42:T-1d", people, content=TextContent(text="别的"))
    await session.commit()
    assert again.id == first.id
    assert again.text == "各位代表好"
    assert len(await _rows(session, first)) == 1


async def test_two_planners_at_once_make_one_delivery_and_one_row_per_person(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    people = await _people(session)
    await session.commit()
    sessionmaker = create_sessionmaker(engine)

    async def plan() -> int | None:
        async with sessionmaker.begin() as own:
            return (await _queue(own, "meeting:42:T-1h", people)).id

    ids = await asyncio.gather(plan(), plan())
    assert ids[0] == ids[1]
    deliveries = (await session.scalars(select(Delivery))).all()
    assert len(deliveries) == 1
    assert len(await _rows(session, deliveries[0])) == 2


async def test_representatives_of_some_delegations_or_of_all(session: AsyncSession) -> None:
    north = await add_delegation(session, "北区代表团")
    south = await add_delegation(session, "南区代表团")
    a = await add_representative(session, telegram_id=201, delegation=north, name="甲")
    b = await add_representative(session, telegram_id=202, delegation=south, name="乙")
    retired = await add_representative(session, telegram_id=203, delegation=south, name="丙")
    await session.execute(
        update(Mandate).where(col(Mandate.person_id) == retired.id).values(active=False)
    )
    assert north.id is not None
    some = await enqueue(
        session=session,
        dedupe_key="bulletin:north",
        audience=Representatives(frozenset({north.id})),
        content=HELLO,
        not_before=NOW,
    )
    every = await enqueue(
        session=session,
        dedupe_key="bulletin:all",
        audience=Representatives(),
        content=HELLO,
        not_before=NOW,
    )
    assert [r.person_id for r in await _rows(session, some)] == [a.id]
    assert [r.person_id for r in await _rows(session, every)] == [a.id, b.id]
    assert every.audience == {"representatives": None}
    assert some.audience == {"representatives": [north.id]}


async def test_five_thousand_recipients_take_a_handful_of_statements(
    session: AsyncSession, engine: AsyncEngine
) -> None:
    delegation = await add_delegation(session)
    people = [{"name": f"代表{i}", "telegram_id": 10_000 + i} for i in range(5000)]
    ids = list((await session.scalars(insert(Person).returning(col(Person.id)), people)).all())
    await session.execute(
        insert(Mandate),
        [
            {"person_id": i, "level": Level.province, "term_number": 14,
             "delegation_id": delegation.id, "is_group_leader": False, "active": True}
            for i in ids
        ],
    )  # fmt: skip
    await session.commit()
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement.split(None, 1)[0].upper())

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        by_id = await _queue(session, "bulk:ids", [Person(id=i, name="") for i in ids])
        by_delegation = await enqueue(
            session=session,
            dedupe_key="bulk:all",
            audience=Representatives(),
            content=HELLO,
            not_before=NOW,
        )
        await session.commit()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert len(statements) <= 10, statements
    assert statements.count("INSERT") == 4  # a delivery and its rows, twice
    for delivery in (by_id, by_delegation):
        assert len(await _rows(session, delivery)) == 5000


async def test_bad_keys_and_captions_are_refused(session: AsyncSession) -> None:
    people = await _people(session)
    with pytest.raises(BadInput):
        await _queue(session, "", people)
    with pytest.raises(BadInput):
        await _queue(session, "k" * 256, people)
    with pytest.raises(BadInput):
        await _queue(session, "photo", people, content=PhotoContent("f", caption="长" * 1025))
    with pytest.raises(BadInput):
        await _queue(session, "blank", people, content=TextContent(text="  "))


async def test_pause_resume_cancel_and_the_states_they_refuse(session: AsyncSession) -> None:
    people = await _people(session)
    delivery = await _queue(session, "notice:2", people)
    assert delivery.id is not None
    with pytest.raises(WrongDeliveryState):
        await resume(session=session, delivery_id=delivery.id)
    assert (await pause(session=session, delivery_id=delivery.id)).state == DeliveryState.paused
    with pytest.raises(WrongDeliveryState):
        await pause(session=session, delivery_id=delivery.id)
    resumed = await resume(session=session, delivery_id=delivery.id)
    assert resumed.state == DeliveryState.scheduled
    cancelled = await cancel(session=session, delivery_id=delivery.id, now=NOW)
    assert cancelled.state == DeliveryState.cancelled
    assert [r.state for r in await _rows(session, delivery)] == [RecipientState.cancelled] * 2
    for change in (pause, resume):
        with pytest.raises(WrongDeliveryState):
            await change(session=session, delivery_id=delivery.id)
    with pytest.raises(NotFound):
        await pause(session=session, delivery_id=delivery.id + 1)


async def test_cancel_leaves_rows_in_flight_to_their_sender(session: AsyncSession) -> None:
    people = await _people(session)
    delivery = await _queue(session, "notice:3", people[:2])
    first, second = await _rows(session, delivery)
    first.state, first.lease_until = RecipientState.sending, NOW + timedelta(minutes=5)
    second.state, second.lease_until = RecipientState.sending, NOW - timedelta(seconds=1)
    session.add_all([first, second])
    await session.flush()
    assert delivery.id is not None
    await cancel(session=session, delivery_id=delivery.id, now=NOW)
    states = [r.state for r in await _rows(session, delivery)]
    assert states == [RecipientState.sending, RecipientState.cancelled]


async def test_progress_counts_and_estimates_the_finish(session: AsyncSession) -> None:
    delegation = await add_delegation(session)
    people = [
        await add_representative(session, telegram_id=300 + i, delegation=delegation)
        for i in range(6)
    ]
    delivery = await _queue(session, "notice:4", people)
    assert delivery.id is not None
    empty = await progress(session=session, delivery_id=delivery.id, now=NOW)
    assert (empty.queued, empty.sent, empty.left, empty.finish_at) == (6, 0, 6, None)
    rows = await _rows(session, delivery)
    # Two sent ten seconds apart, one failed, one unreachable: two left at 5 s per row.
    for row, state, at in (
        (rows[0], RecipientState.sent, NOW),
        (rows[1], RecipientState.sent, NOW + timedelta(seconds=10)),
        (rows[2], RecipientState.failed, None),
        (rows[3], RecipientState.unreachable, None),
    ):
        row.state, row.sent_at = state, at
        session.add(row)
    await session.flush()
    now = NOW + timedelta(seconds=12)
    seen = await progress(session=session, delivery_id=delivery.id, now=now)
    assert (seen.queued, seen.sent, seen.failed, seen.unreachable, seen.left) == (2, 2, 1, 1, 2)
    assert seen.finish_at == now + timedelta(seconds=10)
    with pytest.raises(NotFound):
        await progress(session=session, delivery_id=delivery.id + 1, now=now)
