"""Housekeeping sends answers a failure left behind and forgets old update ids."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot import maintenance
from bot.app import App
from bot.maintenance import run_once
from bot.outbox import stage_replies
from bot.sent import sent_marks
from services.outbox import holding_replies
from storage.models import PendingReply, ProcessedUpdate
from storage.sent_journal import key_of
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


async def test_a_long_journal_keeps_only_the_rows_still_saved(
    app: App, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = sent_marks(app.sessionmaker).journal
    assert journal is not None  # a SQLite file database
    with holding_replies():
        await app.bot.send_message(3, "已发出、尚未划掉的回复")
        await stage_replies(session=session, bot_id=app.bot.id, update_id=3)
    await session.commit()
    [saved] = (await session.scalars(select(PendingReply))).all()
    gone = [
        PendingReply(bot_id=app.bot.id, update_id=n, id=n, chat_id=3, method="SendMessage")
        for n in range(100, 160)
    ]
    journal.record([*gone, saved])
    monkeypatch.setattr("bot.sent.COMPACT_AT", journal.size() - 1)

    await run_once(app)

    assert journal.read() == {key_of(saved)}
    assert journal.path.stat().st_mode & 0o777 == 0o600
    # Still listed, so a sweep deletes it as sent instead of sending it again.
    saved.created_at = utcnow() - timedelta(hours=1)
    await session.commit()
    await run_once(app)
    assert app.bot.session.texts(3) == []  # type: ignore[attr-defined]
    assert await session.scalar(select(func.count()).select_from(PendingReply)) == 0


async def test_stopped_mid_round_it_stops_even_when_the_round_turns_that_into_an_error(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A cancellation that lands inside a database call comes out as the driver's own error.
    began = asyncio.Event()
    rounds = 0

    async def cut_short(_app: App) -> None:
        nonlocal rounds
        rounds += 1
        if rounds > 1:
            raise asyncio.CancelledError  # gone round again: end the test's loop
        began.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            raise RuntimeError("Can't reconnect until invalid transaction is rolled back") from None

    monkeypatch.setattr(maintenance, "run_once", cut_short)
    loop = asyncio.create_task(maintenance.maintenance_loop(app, every=0))
    async with asyncio.timeout(5):
        await began.wait()
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        async with asyncio.timeout(5):
            await loop
    assert rounds == 1
