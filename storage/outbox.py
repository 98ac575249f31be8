"""Answers waiting to be sent (see PendingReply)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache

from sqlalchemy import Delete, bindparam, delete, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.dml import ReturningInsert
from sqlmodel import col, select

from storage.db import execute_and_commit
from storage.models import PendingReply


async def pending_replies(
    *,
    session: AsyncSession,
    bot_id: int,
    update_id: int | None = None,
    created_before: datetime | None = None,
    limit: int = 500,
) -> list[PendingReply]:
    query = select(PendingReply).where(col(PendingReply.bot_id) == bot_id)
    if update_id is not None:
        query = query.where(col(PendingReply.update_id) == update_id)
    if created_before is not None:
        query = query.where(col(PendingReply.created_at) < created_before)
    rows = await session.scalars(query.order_by(col(PendingReply.id)).limit(limit))
    return list(rows.all())


async def save_replies(*, session: AsyncSession, rows: Sequence[PendingReply]) -> None:
    """Insert the rows in one statement and give them their ids.

    A Core insert rather than the unit of work: this runs for every update, and the rows are
    not used as ORM objects afterwards (only read by the sender).
    """
    if not rows:
        return
    connection = await session.connection()
    values = [
        {
            "bot_id": row.bot_id,
            "update_id": row.update_id,
            "chat_id": row.chat_id,
            "method": row.method,
            "payload": row.payload,
            "created_at": row.created_at,
        }
        for row in rows
    ]
    result = await connection.execute(_insert_replies(), values)
    for row, reply_id in zip(rows, result.scalars(), strict=True):
        row.id = reply_id


@cache
def _insert_replies() -> ReturningInsert[int]:
    # In the order given, so that each row gets its own id.
    return insert(PendingReply).returning(col(PendingReply.id), sort_by_parameter_order=True)


async def delete_replies(*, connection: AsyncConnection, reply_ids: Collection[int]) -> None:
    """The one statement of its transaction (storage.db.priority_write): committed with it."""
    await execute_and_commit(connection, _delete_by_ids(), {"ids": list(reply_ids)})


@cache
def _delete_by_ids() -> Delete:
    # Built once: it runs after every answer sent.
    return delete(PendingReply).where(col(PendingReply.id).in_(bindparam("ids", expanding=True)))
