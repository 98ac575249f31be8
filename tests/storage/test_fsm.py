"""Dialog state survives a restart: a new storage over the same database sees it."""

from __future__ import annotations

import asyncio

import pytest
from aiogram import Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.app import App, build_app
from services.config import Settings
from storage.db import create_sessionmaker
from storage.fsm import DatabaseStorage
from storage.models import ChatPreference
from storage.people import set_language
from tests.factories import make_message, make_user
from tests.fakes import FakeSession
from tests.harness import Harness

KEY = StorageKey(bot_id=1, chat_id=2, user_id=3)


class Dialog(StatesGroup):
    summary = State()


async def test_state_and_data_survive_a_new_storage(engine: AsyncEngine) -> None:
    first = DatabaseStorage(create_sessionmaker(engine))
    await first.set_state(KEY, Dialog.summary)
    await first.set_data(KEY, {"type": 3, "place": "洛阳博物馆"})
    await first.close()

    second = DatabaseStorage(create_sessionmaker(engine))
    assert await second.get_state(KEY) == "Dialog:summary"
    assert await second.get_data(KEY) == {"type": 3, "place": "洛阳博物馆"}
    assert await second.get_state(StorageKey(bot_id=1, chat_id=2, user_id=4)) is None


async def test_update_data_merges_concurrent_writes(engine: AsyncEngine) -> None:
    storage = DatabaseStorage(create_sessionmaker(engine))
    await asyncio.gather(*(storage.update_data(KEY, {f"k{i}": i}) for i in range(10)))
    assert await storage.get_data(KEY) == {f"k{i}": i for i in range(10)}


async def test_clearing_removes_the_record(engine: AsyncEngine) -> None:
    storage = DatabaseStorage(create_sessionmaker(engine))
    await storage.set_state(KEY, "A:b")
    await storage.set_data(KEY, {"x": 1})
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}


async def test_dialog_survives_an_app_restart(settings: Settings, engine: AsyncEngine) -> None:
    """Whichever storage the settings choose (database, or Redis with TEST_REDIS_URL)."""
    first = build_app(settings, bot_session=FakeSession())
    context = first.dispatcher.fsm.get_context(first.bot, chat_id=5, user_id=5)
    await context.set_state(Dialog.summary)
    await context.update_data(place="隋唐城遗址植物园")
    await first.close()

    second = build_app(settings, bot_session=FakeSession())
    context = second.dispatcher.fsm.get_context(second.bot, chat_id=5, user_id=5)
    try:
        assert await context.get_state() == "Dialog:summary"
        assert await context.get_data() == {"place": "隋唐城遗址植物园"}
        expected = "RedisStorage" if settings.redis_url else "DatabaseStorage"
        assert type(second.dispatcher.storage).__name__ == expected
    finally:
        await context.clear()
        await second.close()


class Step(StatesGroup):
    waiting = State()


def _dialog_router(fail: bool) -> Router:
    router = Router(name=f"dialog-{fail}")

    @router.message(Command("step"))
    async def cmd_step(message: Message, session: AsyncSession, state: FSMContext) -> None:
        # A write first (it holds SQLite's write lock), then the dialog step: same transaction.
        await set_language(session=session, telegram_id=message.chat.id, language="en")
        await state.set_state(Step.waiting)
        await state.update_data(place="洛阳")
        if fail:
            raise RuntimeError("the step failed")
        await message.answer("ok")

    return router


@pytest.mark.parametrize("fail", [False, True])
async def test_dialog_step_commits_with_the_handlers_writes(
    app: App, session: AsyncSession, fail: bool
) -> None:
    dispatcher = app.dispatcher
    dispatcher.include_router(_dialog_router(fail))
    dispatcher.sub_routers.insert(0, dispatcher.sub_routers.pop())
    tg = Harness(app)
    user = make_user(6001)
    async with asyncio.timeout(5):  # a writer waiting on itself would hang here
        await tg.feed(make_message("/step", user=user))
    context = dispatcher.fsm.get_context(app.bot, chat_id=user.id, user_id=user.id)
    preference = await session.get(ChatPreference, user.id)
    if fail:
        assert preference is None
        if app.settings.redis_url is None:  # Redis is not part of the database transaction
            assert await context.get_state() is None
    else:
        assert await context.get_state() == "Step:waiting"
        assert await context.get_data() == {"place": "洛阳"}
        assert preference is not None
        assert tg.api.last_text(user.id) == "ok"
