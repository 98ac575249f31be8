"""Answers are saved with the update's work and sent after the commit; leftovers after a crash."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from aiogram import Bot, Router
from aiogram.exceptions import TelegramNetworkError
from aiogram.filters import Command
from aiogram.methods import SendPhoto, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import BufferedInputFile, Message
from sqlalchemy import func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from bot.app import App
from bot.outbox import deliver_replies, stage_replies
from bot.sent import sent_marks
from bot.serving import send_leftovers
from services.outbox import holding_replies
from storage.models import PendingReply, Person
from storage.outbox import claim_replies
from storage.sent_journal import key_of
from storage.types import utcnow
from tests.factories import add_delegation, add_representative, make_user
from tests.fakes import FakeSession
from tests.harness import Harness


def _install(app: App, router: Router) -> None:
    app.dispatcher.include_router(router)
    app.dispatcher.sub_routers.insert(0, app.dispatcher.sub_routers.pop())


async def _pending(session: AsyncSession) -> int:
    count = await session.scalar(select(func.count()).select_from(PendingReply))
    await session.commit()
    return int(count or 0)


async def test_answers_go_out_after_the_commit_in_order(tg: Harness, session: AsyncSession) -> None:
    router = Router(name="two")
    seen_while_handling: list[int] = []

    @router.message(Command("two"))
    async def cmd_two(message: Message, bot: Bot) -> None:
        placeholder = await message.answer("一")
        await bot.send_photo(message.chat.id, BufferedInputFile(b"\x89PNG", filename="q.png"))
        await message.answer("二")
        seen_while_handling.append(len(tg.api.sent(message.chat.id)))
        assert placeholder.message_id == 0

    _install(tg.app, router)
    await tg.feed_one("/two", make_user(1))
    assert seen_while_handling == [0]  # nothing left while the transaction was open
    sent = tg.api.sent(1)
    assert [type(r).__name__ for r in sent] == ["SendMessage", "SendPhoto", "SendMessage"]
    assert isinstance(sent[1], SendPhoto)
    assert isinstance(sent[1].photo, BufferedInputFile)
    assert sent[1].photo.data == b"\x89PNG"
    assert await _pending(session) == 0


async def test_a_failing_handler_sends_only_the_error(tg: Harness, session: AsyncSession) -> None:
    router = Router(name="half")

    @router.message(Command("half"))
    async def cmd_half(message: Message) -> None:
        await message.answer("这条不应发出")
        raise RuntimeError("boom")

    _install(tg.app, router)
    await tg.feed_one("/half", make_user(2, language_code="en"))
    texts = tg.api.texts(2)
    assert len(texts) == 1
    assert texts[0].startswith("Something went wrong (ref ")
    assert await _pending(session) == 0


async def test_leftovers_are_sent_once_and_blocked_users_marked(
    app: App, session: AsyncSession
) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=3, delegation=delegation)
    with holding_replies():
        await app.bot.send_message(3, "留下的回复")
        await app.bot.send_message(4, "给已屏蔽的人")
        await stage_replies(session=session, bot_id=app.bot.id, update_id=77)
    await session.commit()
    api = app.bot.session
    assert isinstance(api, FakeSession)
    api.blocked.add(4)
    assert await deliver_replies(app.bot, app.sessionmaker) == 1
    assert await deliver_replies(app.bot, app.sessionmaker) == 0
    assert api.texts(3) == ["留下的回复"]
    assert await _pending(session) == 0


async def test_a_network_failure_keeps_the_rest_in_order(app: App, session: AsyncSession) -> None:
    class DownSession(FakeSession):
        async def make_request(
            self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
        ) -> TelegramType:
            raise TelegramNetworkError(method, "connection refused")

    with holding_replies():
        await app.bot.send_message(5, "一")
        await app.bot.send_message(5, "二")
        await stage_replies(session=session, bot_id=app.bot.id, update_id=78)
    await session.commit()
    down = Bot(app.bot.token, session=DownSession())
    assert await deliver_replies(down, app.sessionmaker) == 0
    assert await _pending(session) == 2
    assert await deliver_replies(app.bot, app.sessionmaker) == 2
    api = app.bot.session
    assert isinstance(api, FakeSession)
    assert api.texts(5) == ["一", "二"]
    assert (await session.scalar(select(func.count()).select_from(Person))) == 0


async def test_a_reply_listed_as_sent_before_a_crash_is_not_sent_again(
    tg: Harness, session: AsyncSession
) -> None:
    marks = sent_marks(tg.app.sessionmaker)
    if marks.journal is None:
        pytest.skip("the journal of sent replies is kept beside a SQLite file only")
    await tg.send(make_user(7), "/help")
    assert len(marks.journal.read()) == 1  # listed the moment Telegram accepted it
    with holding_replies() as held:
        await tg.app.bot.send_message(6, "已送达")
        await tg.app.bot.send_message(6, "未送达")
        await stage_replies(session=session, bot_id=tg.app.bot.id, update_id=79)
    await session.commit()
    # Telegram accepted the first; the process died before its row was deleted.
    marks.journal.record([held.staged[0][0]])
    leftovers = await send_leftovers(tg.app)  # as the next start does
    await asyncio.gather(*leftovers.values())
    assert tg.api.texts(6) == ["未送达"]
    assert await _pending(session) == 0
    # The start began a new journal: it lists only what this run has sent.
    assert marks.journal.read() == {key_of(held.staged[1][0])}


async def test_a_leftover_held_by_another_sweep_is_left_to_it_until_its_lease_ends(
    app: App, session: AsyncSession
) -> None:
    with holding_replies():
        await app.bot.send_message(8, "只发一次")
        await stage_replies(session=session, bot_id=app.bot.id, update_id=80)
    await session.commit()
    [row] = (await session.scalars(select(PendingReply))).all()
    assert row.id is not None
    now = utcnow()
    async with app.sessionmaker.begin() as other:  # another process's sweep, first
        held = await claim_replies(
            session=other, reply_ids=[row.id], now=now, until=now + timedelta(minutes=2)
        )
    assert held == {row.id}
    assert await deliver_replies(app.bot, app.sessionmaker) == 0
    await asyncio.gather(*(await send_leftovers(app)).values())  # as a start would
    api = app.bot.session
    assert isinstance(api, FakeSession)
    assert api.texts(8) == []
    # That process died holding it: once the lease has passed, this sweep sends it, once.
    await session.execute(update(PendingReply).values(claimed_until=now - timedelta(seconds=1)))
    await session.commit()
    assert await deliver_replies(app.bot, app.sessionmaker) == 1
    assert await deliver_replies(app.bot, app.sessionmaker) == 0
    assert api.texts(8) == ["只发一次"]


async def test_two_sweeps_claiming_at_once_split_the_leftovers(
    app: App, session: AsyncSession
) -> None:
    with holding_replies():
        for n in range(40):
            await app.bot.send_message(9, f"回复{n}")
        await stage_replies(session=session, bot_id=app.bot.id, update_id=81)
    await session.commit()
    ids = [r.id for r in (await session.scalars(select(PendingReply))).all() if r.id]
    now = utcnow()

    async def sweep() -> set[int]:
        async with app.sessionmaker.begin() as own:
            return await claim_replies(
                session=own, reply_ids=ids, now=now, until=now + timedelta(minutes=2)
            )

    first, second = await asyncio.gather(sweep(), sweep())
    assert first.isdisjoint(second)
    assert first | second == set(ids)
