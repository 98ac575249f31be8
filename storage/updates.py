"""Which Telegram updates were already handled, and what an update reads before its handler."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Exists,
    Insert,
    Select,
    String,
    bindparam,
    delete,
    exists,
    insert,
)
from sqlalchemy import select as sa_select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.db import execute_and_commit, one_hop
from storage.models import FsmRecord, PendingReply, ProcessedUpdate
from storage.outbox import save_replies, save_replies_and_mark, save_reply_then_commit
from storage.people import Identity, identity_from_rows, identity_query
from storage.types import utcnow

# Up to this many replies share the mark's statement; more (rare) take statements of their own.
COMBINED_REPLIES_MAX = 8


@dataclass(frozen=True)
class UpdateStart:
    handled: bool
    # None when the update has no user, or when it was handled before (nothing else is read).
    identity: Identity | None = None
    # Read only when asked for by key; None there: no dialog is stored under that key.
    fsm_record: FsmRecord | None = None


async def load_update_start(
    *,
    session: AsyncSession,
    bot_id: int,
    update_id: int,
    telegram_id: int | None,
    fsm_key: str | None = None,
) -> UpdateStart:
    """Whether the update was handled, who sent it and their dialog state: one SELECT.

    Each of these reads is tiny; what costs is the round trip, so they share one.
    """
    params = {"bot_id": bot_id, "update_id": update_id}
    if telegram_id is None:
        return UpdateStart(handled=bool(await session.scalar(_handled_query(), params)))
    query = _start_query(with_fsm=fsm_key is not None)
    rows = (
        await session.execute(query, {**params, "telegram_id": telegram_id, "fsm_key": fsm_key})
    ).all()
    if rows[0][4]:
        return UpdateStart(handled=True)
    identity = await identity_from_rows(session, telegram_id, [row[:4] for row in rows])
    return UpdateStart(
        handled=False, identity=identity, fsm_record=rows[0][5] if fsm_key is not None else None
    )


def _handled() -> Exists:
    return exists().where(
        col(ProcessedUpdate.bot_id) == bindparam("bot_id", type_=BigInteger),
        col(ProcessedUpdate.update_id) == bindparam("update_id", type_=BigInteger),
    )


@cache
def _handled_query() -> Select[tuple[bool]]:
    return sa_select(_handled())


@cache
def _start_query(*, with_fsm: bool) -> Select[Any]:
    # Built once for each shape, as identity_query is.
    query: Select[Any] = identity_query().add_columns(_handled().label("handled"))
    if with_fsm:
        key = bindparam("fsm_key", type_=String)
        query = query.add_columns(FsmRecord).outerjoin(FsmRecord, col(FsmRecord.key) == key)
    return query


async def record_handled(
    *,
    session: AsyncSession,
    bot_id: int,
    update_id: int,
    replies: Sequence[PendingReply] = (),
) -> None:
    """Mark the update handled, with its replies, in the caller's transaction, after the handler
    (one that only reads never takes SQLite's write lock while it talks to Telegram). A crash
    before the commit leaves it unmarked, to be handled again. Core inserts: cheaper than the
    unit of work, for rows that are never read back as objects. It is the transaction's last
    write: the caller commits right after, and on SQLite the COMMIT goes along with the mark (see
    storage.db.execute_and_commit), so whatever the handler left unflushed is flushed first. On
    PostgreSQL the mark rides in the replies' INSERT, one round trip less for every answer."""
    await session.flush()
    connection = await session.connection()
    mark = {"bot_id": bot_id, "update_id": update_id, "processed_at": utcnow()}
    if 0 < len(replies) <= COMBINED_REPLIES_MAX and connection.dialect.name == "postgresql":
        await save_replies_and_mark(connection=connection, rows=replies, mark=mark)
        return
    if len(replies) == 1 and await one_hop(connection) is not None:
        await save_reply_then_commit(connection=connection, row=replies[0], mark=mark)
        return
    await save_replies(session=session, rows=replies)
    await execute_and_commit(connection, _insert_mark(), mark)


@cache
def _insert_mark() -> Insert:
    return insert(ProcessedUpdate)


async def prune_updates(*, session: AsyncSession, older_than: datetime) -> int:
    result = await session.execute(
        delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < older_than)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
