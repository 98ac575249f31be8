"""Polling confirms an update only after it was handled; a crash loses nothing, repeats nothing."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest
from aiogram import Bot
from aiogram.methods import GetUpdates, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App, build_app
from bot.polling import Poller
from services.config import Settings
from tests.conftest import ADMIN_ID
from tests.factories import make_message, make_user
from tests.fakes import FakeSession


class QueueSession(FakeSession):
    """getUpdates serves a queue like Telegram: everything from `offset` on, until confirmed."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[Update] = []
        self.offsets: list[int | None] = []
        self.hold_chat: int | None = None
        self.release = asyncio.Event()
        self.held = asyncio.Event()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, GetUpdates):
            self.offsets.append(method.offset)
            if method.offset is not None:
                self.queue = [u for u in self.queue if u.update_id >= method.offset]
            if not self.queue:
                await asyncio.sleep(0.01)
            return list(self.queue[: method.limit or 100])  # type: ignore[return-value]
        if isinstance(method, SendMessage) and method.chat_id == self.hold_chat:
            self.held.set()
            await self.release.wait()
        return await super().make_request(bot, method, timeout)


Queued = tuple[App, QueueSession]


@pytest.fixture
async def queued(settings: Settings, engine: AsyncEngine) -> AsyncIterator[Queued]:
    """The app on a getUpdates queue, with the same session middlewares as in production."""
    api = QueueSession()
    app = build_app(settings, bot_session=api)
    yield app, api
    await app.close()


async def _eventually(condition: Callable[[], bool], limit: float = 5.0) -> None:
    async with asyncio.timeout(limit):
        while not condition():
            await asyncio.sleep(0.01)


async def _run_until(poller: Poller, condition: Callable[[], bool]) -> None:
    task = asyncio.create_task(poller.run())
    await _eventually(condition)
    poller.stop()
    await task


async def test_offset_is_confirmed_only_after_handling(queued: Queued) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    api.queue = [make_message("/help", user=user, update_id=50)]
    api.hold_chat = user.id
    poller = Poller(app.bot, app.dispatcher, timeout=0)
    task = asyncio.create_task(poller.run())
    await asyncio.wait_for(api.held.wait(), 5)
    await asyncio.sleep(0.05)
    assert 51 not in api.offsets  # still handling: nothing confirmed
    api.release.set()
    await _eventually(lambda: 51 in api.offsets)
    poller.stop()
    await task
    assert len(api.texts(user.id)) == 1


async def test_crash_mid_batch_then_restart_answers_everyone_exactly_once(
    queued: Queued,
) -> None:
    app, api = queued
    first, second = make_user(ADMIN_ID, language_code="en"), make_user(8002, language_code="en")
    api.queue = [
        make_message("/help", user=first, update_id=60),
        make_message("/start", user=second, update_id=61),
    ]
    api.hold_chat = second.id
    crashed = Poller(app.bot, app.dispatcher, timeout=0)
    task = asyncio.create_task(crashed.run())
    await asyncio.wait_for(api.held.wait(), 5)
    await asyncio.sleep(0.05)  # the first update is handled and committed by now
    task.cancel()  # the process dies while the second answer is on its way
    await asyncio.gather(task, return_exceptions=True)
    assert len(api.texts(first.id)) == 1
    assert api.texts(second.id) == []
    # The first was confirmed once done; the second was not, and Telegram sends it again.
    assert [u.update_id for u in api.queue] == [61]

    api.hold_chat = None
    restarted = Poller(app.bot, app.dispatcher, timeout=0)
    await _run_until(restarted, lambda: api.queue == [] or 62 in api.offsets)
    assert len(api.texts(first.id)) == 1  # skipped as already handled
    assert len(api.texts(second.id)) == 1


async def test_a_slow_update_holds_up_only_its_own_chat(queued: Queued) -> None:
    app, api = queued
    slow, other = make_user(ADMIN_ID, language_code="en"), make_user(8003, language_code="en")
    api.queue = [make_message("/help", user=slow, update_id=80)]
    api.hold_chat = slow.id
    poller = Poller(app.bot, app.dispatcher, timeout=0)
    task = asyncio.create_task(poller.run())
    await asyncio.wait_for(api.held.wait(), 5)
    api.queue.append(make_message("/start", user=other, update_id=81))
    await _eventually(lambda: bool(api.texts(other.id)))
    assert api.texts(slow.id) == []
    assert max(o for o in api.offsets if o is not None) == 80  # 80 still running: not confirmed
    api.release.set()
    await _eventually(lambda: 82 in api.offsets)
    poller.stop()
    await task
    assert len(api.texts(slow.id)) == 1


async def test_one_chat_is_handled_in_order(queued: Queued) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    api.queue = [
        make_message("/lang zh", user=user, update_id=70),
        make_message("/help", user=user, update_id=71),
        make_message("/lang en", user=user, update_id=72),
        make_message("/help", user=user, update_id=73),
    ]
    await _run_until(Poller(app.bot, app.dispatcher, timeout=0), lambda: 74 in api.offsets)
    texts = api.texts(user.id)
    assert texts[0] == "语言已设置为：中文。"
    assert texts[1].startswith("您可以使用：")
    assert texts[2] == "Language set: English."
    assert texts[3].startswith("What you can use:")


async def test_stop_lets_the_update_in_hand_finish_and_confirms_it(
    queued: Queued,
) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    api.queue = [make_message("/help", user=user, update_id=90)]
    api.hold_chat = user.id
    poller = Poller(app.bot, app.dispatcher, timeout=0)
    task = asyncio.create_task(poller.run())
    await asyncio.wait_for(api.held.wait(), 5)
    poller.stop()  # SIGTERM while the answer is on its way
    await asyncio.sleep(0.05)
    assert not task.done()
    api.release.set()
    await asyncio.wait_for(task, 5)
    assert len(api.texts(user.id)) == 1
    assert api.offsets[-1] == 91  # confirmed before returning
    assert api.queue == []
