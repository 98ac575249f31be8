"""Which Telegram updates were already handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import ProcessedUpdate


async def was_handled(*, session: AsyncSession, bot_id: int, update_id: int) -> bool:
    found = await session.scalar(
        select(ProcessedUpdate.update_id).where(
            col(ProcessedUpdate.bot_id) == bot_id, col(ProcessedUpdate.update_id) == update_id
        )
    )
    return found is not None


def mark_handled(*, session: AsyncSession, bot_id: int, update_id: int) -> None:
    """Add the mark to the caller's unit of work, to commit with what the handler wrote.

    A crash before that commit leaves the update unmarked (it will be handled again); a crash
    after it leaves it marked. Called after the handler, so a handler that only reads never
    takes SQLite's write lock while it talks to Telegram.
    """
    session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id))


async def prune_updates(*, session: AsyncSession, older_than: datetime) -> int:
    result = await session.execute(
        delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < older_than)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
