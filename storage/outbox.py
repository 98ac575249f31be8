"""Answers waiting to be sent (see PendingReply)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

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


async def delete_replies(*, session: AsyncSession, reply_ids: Collection[int]) -> None:
    await session.execute(delete(PendingReply).where(col(PendingReply.id).in_(list(reply_ids))))
