"""Queueing many one-person reminders at once: a planner's whole batch in a few statements.

The rows are those `services.deliveries.enqueue` writes for a People audience of one — the
delivery under its dedupe key, and the person's recipient row (`<key>:person:<id>`, unreachable
when they blocked the bot, none when they have no Telegram account, counted in `skipped`) — so
the sender treats them alike; a key queued before is left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.delivery_models import BLOCKED_BEFORE, Delivery, DeliveryRecipient, RecipientState
from storage.delivery_wake import note_queued
from storage.models import Person

# Rows per INSERT: a delivery has about fifteen columns, under both drivers' parameter limits.
ROWS_PER_STATEMENT = 500


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    return dialect.insert(table)


@dataclass(frozen=True)
class Personal:
    """One person's reminder: the delivery to insert (its audience that person) and whom."""

    delivery: Delivery
    person_id: int


async def queue_personal(*, session: AsyncSession, items: Sequence[Personal]) -> int:
    """Insert the deliveries not queued before and their recipient rows; how many were new."""
    new: dict[str, int] = {}
    for start in range(0, len(items), ROWS_PER_STATEMENT):
        chunk = items[start : start + ROWS_PER_STATEMENT]
        values = [item.delivery.model_dump(exclude={"id"}) for item in chunk]
        statement = _insert(session, Delivery).values(values).on_conflict_do_nothing()
        result = await session.execute(
            statement.returning(col(Delivery.id), col(Delivery.dedupe_key))
        )
        new.update((key, delivery_id) for delivery_id, key in result.all())
    if not new:
        return 0
    fresh = [item for item in items if item.delivery.dedupe_key in new]
    people = {item.person_id for item in fresh}
    found = await session.execute(
        select(col(Person.id), col(Person.telegram_id), col(Person.unreachable)).where(
            col(Person.id).in_(sorted(people))
        )
    )
    accounts = {row[0]: (row[1], row[2]) for row in found.all()}
    rows: list[dict[str, Any]] = []
    skipped: list[int] = []
    for item in fresh:
        delivery_id = new[item.delivery.dedupe_key]
        chat_id, blocked = accounts.get(item.person_id, (None, False))
        if chat_id is None:
            skipped.append(delivery_id)
            continue
        rows.append(
            {
                "delivery_id": delivery_id,
                "person_id": item.person_id,
                "chat_id": chat_id,
                "dedupe_key": f"{item.delivery.dedupe_key}:person:{item.person_id}",
                "state": RecipientState.unreachable if blocked else RecipientState.queued,
                "error": BLOCKED_BEFORE if blocked else None,
                "attempts": 0,
                "parts_sent": 0,
                "next_try_at": item.delivery.not_before,
            }
        )
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        statement = _insert(session, DeliveryRecipient).values(
            rows[start : start + ROWS_PER_STATEMENT]
        )
        await session.execute(statement.on_conflict_do_nothing())
    if skipped:
        await session.execute(
            update(Delivery).where(col(Delivery.id).in_(skipped)).values(skipped=1)
        )
    note_queued(session)
    return len(new)
