"""Which Telegram updates were already handled."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate


async def claim_update(*, session: AsyncSession, bot_id: int, update_id: int) -> bool:
    """Record the update inside the caller's transaction; False if it was handled before.

    The row commits together with whatever the handler wrote, so a crash before the commit leaves
    the update unclaimed (it will be handled again) and a crash after it leaves it claimed.
    """
    seen = await session.scalar(
        select(ProcessedUpdate.update_id).where(
            ProcessedUpdate.bot_id == bot_id, ProcessedUpdate.update_id == update_id
        )
    )
    if seen is not None:
        return False
    session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id))
    await session.flush()
    return True


async def prune_updates(*, session: AsyncSession, older_than: datetime) -> int:
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < older_than)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
