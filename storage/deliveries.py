"""Deliveries and their recipient rows: creating, queueing in bulk, state changes, progress."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, case, cast, false, func, literal, or_, update
from sqlalchemy import select as sql_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.delivery_models import (
    BLOCKED_BEFORE,
    Delivery,
    DeliveryRecipient,
    DeliveryState,
    RecipientState,
)
from storage.delivery_wake import note_queued
from storage.models import Mandate, Person
from storage.types import UTCDateTime

# Person ids per INSERT … SELECT: under both drivers' limits on bound parameters (32,767).
IDS_PER_STATEMENT = 10_000
_R = DeliveryRecipient


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    return dialect.insert(table)


async def insert_delivery(*, session: AsyncSession, delivery: Delivery) -> tuple[Delivery, bool]:
    """The delivery with `delivery.dedupe_key` and whether it is new: this one, or the one
    saved before under that key (then nothing is written)."""
    values = delivery.model_dump(exclude={"id"})
    statement = _insert(session, Delivery).values(values).on_conflict_do_nothing()
    new_id = await session.scalar(statement.returning(col(Delivery.id)))
    found = await session.scalar(
        select(Delivery).where(col(Delivery.dedupe_key) == delivery.dedupe_key)
    )
    assert found is not None  # noqa: S101 - inserted or there before
    return found, new_id is not None


def people_filter(
    *, person_ids: Collection[int] | None, delegation_ids: Collection[int] | None
) -> ColumnElement[bool]:
    """People listed by id, or holding an active mandate in the delegations (None: any)."""
    if person_ids is not None:
        return col(Person.id).in_(list(person_ids))
    mandates = select(Mandate.person_id).where(col(Mandate.active).is_(True))
    if delegation_ids is not None:
        mandates = mandates.where(col(Mandate.delegation_id).in_(list(delegation_ids)))
    return col(Person.id).in_(mandates)


def chosen_filter(
    *,
    scope: Collection[int] | None,
    delegation_ids: Collection[int],
    group_ids: Collection[int],
    station_ids: Collection[int],
) -> ColumnElement[bool]:
    """People holding an active mandate within `scope` (None: any delegation) that lies in one
    of the delegations, groups or stations; nobody when none is given."""
    mandates = select(Mandate.person_id).where(col(Mandate.active).is_(True))
    if scope is not None:
        mandates = mandates.where(col(Mandate.delegation_id).in_(list(scope)))
    chosen = [
        col(column).in_(list(ids))
        for column, ids in (
            (Mandate.delegation_id, delegation_ids),
            (Mandate.group_id, group_ids),
            (Mandate.station_id, station_ids),
        )
        if ids
    ]
    if not chosen:
        return false()
    return col(Person.id).in_(mandates.where(or_(*chosen)))


async def count_with_account(*, session: AsyncSession, who: ColumnElement[bool]) -> int:
    found = await session.scalar(
        select(func.count()).select_from(Person).where(who, col(Person.telegram_id).is_not(None))
    )
    return int(found or 0)


async def queue_recipients(
    *, session: AsyncSession, delivery: Delivery, who: ColumnElement[bool]
) -> None:
    """One row per person in `who` with a Telegram account, in a single INSERT … SELECT.

    A row already there (same delivery and person, or same key) is left as it is. A person
    known to have blocked the bot gets a row marked unreachable, so that it is reported.
    """
    key = literal(f"{delivery.dedupe_key}:person:") + cast(col(Person.id), String)
    blocked = col(Person.unreachable).is_(True)
    rows = sql_select(
        literal(delivery.id),
        col(Person.id),
        col(Person.telegram_id),
        key,
        case((blocked, literal(RecipientState.unreachable.value)), else_=RecipientState.queued),
        case((blocked, literal(BLOCKED_BEFORE)), else_=None),
        literal(0),
        literal(0),
        literal(delivery.not_before, type_=UTCDateTime),
    )
    # In person order, so that the sender, which drains by row id, goes down the roster.
    rows = rows.where(who, col(Person.telegram_id).is_not(None)).order_by(col(Person.id))
    columns = [
        "delivery_id", "person_id", "chat_id", "dedupe_key", "state", "error", "attempts",
        "parts_sent", "next_try_at",
    ]  # fmt: skip
    await session.execute(
        _insert(session, DeliveryRecipient).from_select(columns, rows).on_conflict_do_nothing()
    )
    note_queued(session)


async def count_without_account(*, session: AsyncSession, who: ColumnElement[bool]) -> int:
    found = await session.scalar(
        select(func.count()).select_from(Person).where(who, col(Person.telegram_id).is_(None))
    )
    return int(found or 0)


async def get_delivery(*, session: AsyncSession, delivery_id: int) -> Delivery | None:
    return await session.get(Delivery, delivery_id, populate_existing=True)


async def list_deliveries(*, session: AsyncSession, limit: int = 50) -> list[Delivery]:
    query = select(Delivery).order_by(col(Delivery.id).desc()).limit(limit)
    return list((await session.scalars(query)).all())


async def change_state(
    *,
    session: AsyncSession,
    delivery_id: int,
    allowed: Sequence[DeliveryState],
    to: DeliveryState,
) -> bool:
    """Move the delivery to `to` if it is in one of the `allowed` states; False otherwise."""
    result = await session.execute(
        update(Delivery)
        .where(col(Delivery.id) == delivery_id, col(Delivery.state).in_(allowed))
        .values(state=to)
    )
    moved = bool(result.rowcount)  # type: ignore[attr-defined]
    if moved and to is DeliveryState.scheduled:
        note_queued(session)  # resumed: its rows are due again
    return moved


async def cancel_unsent(*, session: AsyncSession, delivery_id: int, now: datetime) -> int:
    """Queued rows, and claimed rows whose sender is gone (lease expired), become cancelled.
    Rows in flight are left to their sender, which marks what Telegram answered."""
    result = await session.execute(
        update(DeliveryRecipient)
        .where(
            col(_R.delivery_id) == delivery_id,
            (col(_R.state) == RecipientState.queued)
            | ((col(_R.state) == RecipientState.sending) & (col(_R.lease_until) < now)),
        )
        .values(state=RecipientState.cancelled, lease_until=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Counts:
    delivery: Delivery
    queued: int
    sending: int
    sent: int
    failed: int
    unreachable: int
    cancelled: int
    first_sent: datetime | None
    last_sent: datetime | None


async def delivery_counts(*, session: AsyncSession, delivery_id: int) -> Counts | None:
    """The delivery and how many of its rows are in each state: one query."""

    def count(state: RecipientState) -> Any:
        return func.coalesce(func.sum(case((col(_R.state) == state, 1), else_=0)), 0)

    query = (
        sql_select(
            Delivery,
            *(count(state) for state in RecipientState),
            func.min(col(_R.sent_at)),
            func.max(col(_R.sent_at)),
        )
        .outerjoin(DeliveryRecipient, col(_R.delivery_id) == col(Delivery.id))
        .where(col(Delivery.id) == delivery_id)
        .group_by(col(Delivery.id))
    )
    row = (await session.execute(query)).first()
    if row is None:
        return None
    delivery, queued, sending, sent, failed, unreachable, cancelled, first, last = row
    return Counts(delivery, queued, sending, sent, failed, unreachable, cancelled, first, last)
