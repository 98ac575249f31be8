"""The handled-mark and the answers of an update are written together, each row with its id."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import PendingReply, ProcessedUpdate
from storage.updates import COMBINED_REPLIES_MAX, record_handled


def _replies(update_id: int, count: int) -> list[PendingReply]:
    return [
        PendingReply(
            bot_id=1,
            update_id=update_id,
            chat_id=100 + n,
            method="SendMessage",
            payload={"text": f"answer {n}"},
        )
        for n in range(count)
    ]


async def test_each_reply_gets_the_id_of_its_own_row_and_the_mark_is_written(
    session: AsyncSession,
) -> None:
    # One reply, several, and more than share the mark's statement on PostgreSQL.
    for update_id, count in ((1, 1), (2, 3), (3, COMBINED_REPLIES_MAX + 2), (4, 0)):
        rows = _replies(update_id, count)
        await record_handled(session=session, bot_id=1, update_id=update_id, replies=rows)
        await session.commit()
        stored = {
            row.id: (row.chat_id, row.payload["text"])
            for row in await session.scalars(
                select(PendingReply).where(col(PendingReply.update_id) == update_id)
            )
        }
        assert {row.id: (row.chat_id, row.payload["text"]) for row in rows} == stored
        assert len(stored) == count
        mark = await session.get(ProcessedUpdate, (1, update_id))
        assert mark is not None


async def test_an_answer_is_not_kept_when_its_handled_mark_cannot_be_written(
    session: AsyncSession,
) -> None:
    """The mark and the answer commit together or not at all, also where they share a trip."""
    session.add(ProcessedUpdate(bot_id=1, update_id=9))
    await session.commit()
    with pytest.raises(IntegrityError):
        await record_handled(session=session, bot_id=1, update_id=9, replies=_replies(9, 1))
    await session.rollback()
    left = await session.scalars(select(PendingReply).where(col(PendingReply.update_id) == 9))
    assert left.all() == []
