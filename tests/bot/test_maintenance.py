"""Housekeeping sends answers a failure left behind and forgets old update ids."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot.app import App
from bot.maintenance import run_once
from bot.outbox import stage_replies
from services.outbox import holding_replies
from storage.models import PendingReply, ProcessedUpdate
from storage.types import utcnow
from tests.fakes import FakeSession


async def test_old_leftovers_are_sent_recent_ones_left_to_their_update(
    app: App, session: AsyncSession
) -> None:
    with holding_replies():
        await app.bot.send_message(1, "早就该发出的回复")
        await stage_replies(session=session, bot_id=app.bot.id, update_id=1)
        await app.bot.send_message(2, "正在发送的回复")
        await stage_replies(session=session, bot_id=app.bot.id, update_id=2)
    await session.flush()
    old = await session.scalar(select(PendingReply).where(PendingReply.update_id == 1))
    assert old is not None
    old.created_at = utcnow() - timedelta(minutes=30)
    session.add(
        ProcessedUpdate(bot_id=app.bot.id, update_id=1, processed_at=utcnow() - timedelta(days=3))
    )
    session.add(ProcessedUpdate(bot_id=app.bot.id, update_id=2))
    await session.commit()

    await run_once(app)

    api = app.bot.session
    assert isinstance(api, FakeSession)
    assert api.texts(1) == ["早就该发出的回复"]
    assert api.texts(2) == []
    remaining = await session.scalars(select(PendingReply.update_id))
    assert list(remaining.all()) == [2]
    kept = await session.scalars(select(ProcessedUpdate.update_id))
    assert list(kept.all()) == [2]
    assert await session.scalar(select(func.count()).select_from(PendingReply)) == 1
