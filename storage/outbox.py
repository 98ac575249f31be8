"""Answers waiting to be sent (see PendingReply)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Delete, Select, bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.sql.dml import ReturningInsert
from sqlmodel import col
from sqlmodel import select as sqlmodel_select

from storage.db import execute_and_commit, execute_then_commit
from storage.models import PendingReply, ProcessedUpdate


async def pending_replies(
    *,
    session: AsyncSession,
    bot_id: int,
    update_id: int | None = None,
    created_before: datetime | None = None,
    limit: int = 500,
) -> list[PendingReply]:
    query = sqlmodel_select(PendingReply).where(col(PendingReply.bot_id) == bot_id)
    if update_id is not None:
        query = query.where(col(PendingReply.update_id) == update_id)
    if created_before is not None:
        query = query.where(col(PendingReply.created_at) < created_before)
    rows = await session.scalars(query.order_by(col(PendingReply.id)).limit(limit))
    return list(rows.all())


async def claim_replies(
    *, session: AsyncSession, reply_ids: Collection[int], now: datetime, until: datetime
) -> set[int]:
    """Of these leftover answers, those no other sweep holds, now held until `until`.

    One conditional UPDATE: on PostgreSQL a second sweep updating the same rows waits for the
    first to commit and then finds them held (the condition is checked again); on SQLite the
    writes take turns. So two processes never both send a leftover answer. A sweep that dies
    holding rows leaves them to the next sweep once `until` has passed.
    """
    if not reply_ids:
        return set()
    claimed = col(PendingReply.claimed_until)
    result = await session.execute(
        update(PendingReply)
        .where(col(PendingReply.id).in_(list(reply_ids)))
        .where(or_(claimed.is_(None), claimed < now))
        .values(claimed_until=until)
        .returning(col(PendingReply.id))
        .execution_options(synchronize_session=False)
    )
    return {reply_id for reply_id in result.scalars() if reply_id is not None}


async def release_replies(*, session: AsyncSession, reply_ids: Collection[int]) -> None:
    """The sweep is done with these: those still here (not sent) are free again."""
    await session.execute(
        update(PendingReply)
        .where(col(PendingReply.id).in_(list(reply_ids)))
        .values(claimed_until=None)
        .execution_options(synchronize_session=False)
    )


async def saved_reply_keys(*, session: AsyncSession) -> set[str]:
    """storage.sent_journal's key of every saved reply: a short list but while Telegram fails."""
    rows = await session.execute(
        select(PendingReply.bot_id, PendingReply.update_id, PendingReply.id)  # type: ignore[call-overload]
    )
    return {f"{bot_id}:{update_id}:{reply_id}" for bot_id, update_id, reply_id in rows}


async def save_replies(*, session: AsyncSession, rows: Sequence[PendingReply]) -> None:
    """Insert the rows in one statement and give them their ids.

    A Core insert rather than the unit of work: this runs for every update, and the rows are
    not used as ORM objects afterwards (only read by the sender).
    """
    if not rows:
        return
    connection = await session.connection()
    result = await connection.execute(_insert_replies(), _values(rows))
    for row, reply_id in zip(rows, result.scalars(), strict=True):
        row.id = reply_id


async def save_reply_then_commit(
    *, connection: AsyncConnection, row: PendingReply, mark: dict[str, Any]
) -> None:
    """SQLite: one reply and the update's handled-mark, and the COMMIT, in one trip to the
    driver's thread (storage.db.execute_then_commit); one trip less for most updates."""
    column = ProcessedUpdate.__table__.c.processed_at  # type: ignore[attr-defined]
    process = column.type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
    at = process(mark["processed_at"]) if process is not None else mark["processed_at"]
    result = await execute_then_commit(
        connection,
        _insert_replies(),
        _values([row]),
        then=[(_MARK_SQL, (mark["bot_id"], mark["update_id"], at))],
    )
    row.id = result.scalar_one()


_MARK_SQL = "INSERT INTO processedupdate (bot_id, update_id, processed_at) VALUES (?, ?, ?)"


async def save_replies_and_mark(
    *, connection: AsyncConnection, rows: Sequence[PendingReply], mark: dict[str, Any]
) -> None:
    """save_replies and the update's handled-mark (a ProcessedUpdate row) in one statement: one
    round trip less, on PostgreSQL, for what every update writes last. Each row is an INSERT of
    its own in the statement's WITH, and the statement selects their ids in the rows' order."""
    params = {
        f"{name}_{index}": value
        for index, values in enumerate(_values(rows))
        for name, value in values.items()
    }
    params.update({f"mark_{name}": value for name, value in mark.items()})
    ids = (await connection.execute(_insert_replies_and_mark(len(rows)), params)).one()
    for row, reply_id in zip(rows, ids, strict=True):
        row.id = reply_id


@cache
def _insert_replies_and_mark(count: int) -> Select[Any]:
    # Built once for each number of replies, with named parameters, so that SQLAlchemy and the
    # driver reuse its compiled and prepared forms (a multi-row VALUES would be compiled anew
    # every time: SQLAlchemy does not cache those).
    mark = insert(ProcessedUpdate).values(
        {name: bindparam(f"mark_{name}") for name in ("bot_id", "update_id", "processed_at")}
    )
    replies = [
        insert(PendingReply)
        .values({name: bindparam(f"{name}_{index}") for name in _COLUMNS})
        .returning(col(PendingReply.id))
        .cte(f"reply_{index}")
        for index in range(count)
    ]
    ids = [select(reply.c.id).scalar_subquery() for reply in replies]
    return select(*ids).add_cte(mark.cte("handled_mark"))


_COLUMNS = ("bot_id", "update_id", "chat_id", "method", "payload", "created_at")


def _values(rows: Sequence[PendingReply]) -> list[dict[str, Any]]:
    return [{name: getattr(row, name) for name in _COLUMNS} for row in rows]


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
