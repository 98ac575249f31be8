"""Updates fetched by polling and not yet handled: the inbox.

Polling confirms updates to Telegram as soon as they are stored here, so a slow update never
holds the offset back, and a crash loses nothing Telegram has already forgotten: whatever is left
here is handled again at the next start (the handled-once mark skips what was done).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

import storage.models  # noqa: F401  (the shared metadata's naming convention comes first)
from storage.types import UTCDateTime, utcnow


class InboxUpdate(SQLModel, table=True):
    """One update as Telegram sent it, kept until it has been handled."""

    bot_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    received_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


async def keep_updates(
    *, session: AsyncSession, bot_id: int, updates: Sequence[tuple[int, dict[str, Any]]]
) -> None:
    """Store (update_id, payload) pairs; one stored before (a repeat of an unconfirmed
    getUpdates) is left as it is."""
    if not updates:
        return
    rows = [
        {"bot_id": bot_id, "update_id": update_id, "payload": payload, "received_at": utcnow()}
        for update_id, payload in updates
    ]
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    statement = dialect.insert(InboxUpdate).values(rows).on_conflict_do_nothing()
    await session.execute(statement)


async def kept_updates(*, session: AsyncSession, bot_id: int) -> list[InboxUpdate]:
    """What a previous run stored and did not finish, oldest first."""
    rows = await session.scalars(
        select(InboxUpdate)
        .where(col(InboxUpdate.bot_id) == bot_id)
        .order_by(col(InboxUpdate.update_id))
    )
    return list(rows.all())


async def kept_update_ids(*, session: AsyncSession, bot_id: int) -> set[int]:
    rows = await session.scalars(
        select(InboxUpdate.update_id).where(col(InboxUpdate.bot_id) == bot_id)
    )
    return set(rows.all())


async def drop_updates(*, session: AsyncSession, bot_id: int, update_ids: Iterable[int]) -> None:
    ids = list(update_ids)
    if ids:
        await session.execute(
            delete(InboxUpdate).where(
                col(InboxUpdate.bot_id) == bot_id, col(InboxUpdate.update_id).in_(ids)
            )
        )
