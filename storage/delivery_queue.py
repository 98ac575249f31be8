"""The sender's side of the outbox: claiming due rows with a lease, marking them, finishing.

A claim is one UPDATE … WHERE id IN (SELECT … LIMIT n) … RETURNING, each row with its person's
language and flag: on SQLite the statement runs under the write lock that BEGIN IMMEDIATE takes
(storage.db), on PostgreSQL the inner select skips rows another process has locked (FOR UPDATE
SKIP LOCKED), so no two senders ever claim one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, col, select

from storage.delivery_models import Delivery, DeliveryRecipient, DeliveryState, RecipientState
from storage.models import Person

ACTIVE = (DeliveryState.scheduled, DeliveryState.sending)
_R = DeliveryRecipient
_LEFT = (RecipientState.queued, RecipientState.sending)
_TABLE = SQLModel.metadata.tables["deliveryrecipient"]
_CLAIMED = ("id", "delivery_id", "person_id", "chat_id", "attempts", "parts_sent")
_MARKED = ("state", "parts_sent", "attempts", "next_try_at", "error", "sent_at")
_MARK_ARRAYS = text(
    """
    UPDATE deliveryrecipient AS r
    SET state = m.state, parts_sent = m.parts_sent, attempts = m.attempts,
        next_try_at = m.next_try_at, error = m.error, sent_at = m.sent_at, lease_until = NULL
    FROM unnest(
        CAST(:recipient_id AS INTEGER[]), CAST(:state AS VARCHAR[]),
        CAST(:parts_sent AS INTEGER[]), CAST(:attempts AS INTEGER[]),
        CAST(:next_try_at AS TIMESTAMPTZ[]), CAST(:error AS TEXT[]), CAST(:sent_at AS TIMESTAMPTZ[])
    ) AS m(id, state, parts_sent, attempts, next_try_at, error, sent_at)
    WHERE r.id = m.id
    """
)


async def release_expired(*, session: AsyncSession, now: datetime) -> int:
    """Rows claimed by a sender that died (lease expired) are queued again."""
    result = await session.execute(
        update(DeliveryRecipient)
        .where(col(_R.state) == RecipientState.sending, col(_R.lease_until) < now)
        .values(state=RecipientState.queued, lease_until=None)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def release(*, session: AsyncSession, recipient_ids: Sequence[int]) -> None:
    """Claimed rows a stopping sender did not begin to send are queued again at once."""
    if recipient_ids:
        await session.execute(
            update(DeliveryRecipient)
            .where(col(_R.id).in_(list(recipient_ids)), col(_R.state) == RecipientState.sending)
            .values(state=RecipientState.queued, lease_until=None)
        )


async def due_deliveries(*, session: AsyncSession, now: datetime) -> list[Delivery]:
    """Deliveries that may send now, by priority (lower first), then age."""
    query = (
        select(Delivery)
        .where(col(Delivery.state).in_(ACTIVE), col(Delivery.not_before) <= now)
        .order_by(col(Delivery.priority), col(Delivery.id))
    )
    return list((await session.scalars(query)).all())


@dataclass(frozen=True, slots=True)
class ClaimedRow:
    """A recipient row leased to the caller, with what sending it needs to know of its person."""

    id: int
    delivery_id: int
    person_id: int
    chat_id: int
    attempts: int
    parts_sent: int
    # The language the person chose (None: not chosen), and whether they blocked the bot.
    language: str | None
    unreachable: bool


async def claim(
    *, session: AsyncSession, delivery: Delivery, now: datetime, lease_until: datetime, limit: int
) -> list[ClaimedRow]:
    """Up to `limit` due queued rows of an active delivery, oldest first, leased to the caller;
    one statement, which reads each row's person too."""
    delivery_id = delivery.id
    active = exists().where(
        col(Delivery.id) == delivery_id,
        col(Delivery.state).in_(ACTIVE),
        col(Delivery.not_before) <= now,
    )
    due = (
        select(_R.id)
        .where(
            col(_R.delivery_id) == delivery_id,
            col(_R.state) == RecipientState.queued,
            col(_R.next_try_at) <= now,
            active,
        )
        .order_by(col(_R.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    person = col(Person.id) == _TABLE.c.person_id
    claimed = (
        update(_TABLE)
        .where(_TABLE.c.id.in_(due.scalar_subquery()))
        .values(state=RecipientState.sending, lease_until=lease_until)
        .returning(
            *(_TABLE.c[name] for name in _CLAIMED),
            select(Person.language).where(person).scalar_subquery(),
            select(Person.unreachable).where(person).scalar_subquery(),
        )
    )
    rows = [
        ClaimedRow(row_id, of, person_id, chat, attempts, parts, language, bool(flag))
        for row_id, of, person_id, chat, attempts, parts, language, flag in (
            await session.execute(claimed)
        ).all()
    ]
    if rows and delivery.state == DeliveryState.scheduled:
        await session.execute(
            update(Delivery)
            .where(col(Delivery.id) == delivery_id, col(Delivery.state) == DeliveryState.scheduled)
            .values(state=DeliveryState.sending)
        )
    return sorted(rows, key=lambda row: row.id)


@dataclass(frozen=True)
class Outcome:
    """What became of one claimed row."""

    recipient_id: int
    state: RecipientState
    parts_sent: int
    attempts: int
    next_try_at: datetime
    error: str | None = None
    sent_at: datetime | None = None


async def mark(
    *, session: AsyncSession, outcomes: Sequence[Outcome], unreachable_people: Sequence[int]
) -> None:
    """Record a batch's outcomes and flag the people who blocked the bot. On PostgreSQL the
    outcomes are one UPDATE joined to their arrays (unnest): one statement for the server to
    run, not one per row; elsewhere one statement executed for many rows."""
    if outcomes and session.get_bind().dialect.name == "postgresql":
        columns = ("recipient_id", *_MARKED)
        await session.execute(
            _MARK_ARRAYS,
            {name: [getattr(outcome, name) for outcome in outcomes] for name in columns},
        )
    elif outcomes:
        statement = (
            update(_TABLE)
            .where(_TABLE.c.id == bindparam("b_recipient_id"))
            .values(
                # Bound names differ from the columns': SQLAlchemy keeps those for itself.
                {**{name: bindparam(f"b_{name}") for name in _MARKED}, "lease_until": None}
            )
        )
        params: list[dict[str, Any]] = [
            {f"b_{name}": getattr(outcome, name) for name in ("recipient_id", *_MARKED)}
            for outcome in outcomes
        ]
        await session.execute(statement, params)
    if unreachable_people:
        await session.execute(
            update(Person)
            .where(col(Person.id).in_(list(unreachable_people)))
            .values(unreachable=True)
        )


async def finish_done(*, session: AsyncSession, now: datetime) -> list[int]:
    """Active deliveries that are due and have no row left to send become done."""
    left = exists().where(col(_R.delivery_id) == col(Delivery.id), col(_R.state).in_(_LEFT))
    result = await session.execute(
        update(Delivery)
        .where(col(Delivery.state).in_(ACTIVE), col(Delivery.not_before) <= now, ~left)
        .values(state=DeliveryState.done)
        .returning(col(Delivery.id))
    )
    return [found for found in result.scalars().all() if found is not None]
