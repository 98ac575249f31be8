"""Polling: nothing confirmed is lost, nothing handled twice, and no slow update stops the rest."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from aiogram import Bot
from aiogram.types import Update

from bot.app import App
from bot.polling import Poller
from storage.inbox import keep_updates, kept_update_ids
from tests.bot.queue_api import Queued, eventually
from tests.conftest import ADMIN_ID
from tests.factories import make_message, make_user


def _poller(app: App, **options: float) -> Poller:
    return Poller(app.bot, app.dispatcher, sessionmaker=app.sessionmaker, timeout=0, **options)  # type: ignore[arg-type]


async def _run_until(poller: Poller, condition: Callable[[], bool]) -> None:
    task = asyncio.create_task(poller.run())
    await eventually(condition)
    poller.stop()
    await task


async def _inbox(app: App) -> set[int]:
    async with app.sessionmaker() as session:
        return await kept_update_ids(session=session, bot_id=app.bot.id)


async def test_a_quick_update_is_confirmed_only_after_handling(queued: Queued) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    api.queue = [make_message("/help", user=user, update_id=50)]
    api.hold_chat = user.id
    poller = _poller(app, park_after=60)
    task = asyncio.create_task(poller.run())
    await asyncio.wait_for(api.held.wait(), 5)
    calls = len(api.offsets)
    await eventually(lambda: len(api.offsets) >= calls + 2)  # polling goes on meanwhile
    assert {o for o in api.offsets if o is not None} <= {50}  # still handling: not confirmed
    api.release.set()
    await eventually(lambda: 51 in api.offsets)
    poller.stop()
    await task
    assert len(api.texts(user.id)) == 1
    assert await _inbox(app) == set()  # never parked: no write for it


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
    crashed = _poller(app, park_after=60)
    task = asyncio.create_task(crashed.run())
    await asyncio.wait_for(api.held.wait(), 5)
    await eventually(lambda: 61 in api.offsets)  # the first is done and confirmed
    task.cancel()  # the process dies while the second answer is on its way
    await asyncio.gather(task, return_exceptions=True)
    assert len(api.texts(first.id)) == 1
    assert api.texts(second.id) == []
    assert api.queued() == [61]  # not confirmed: Telegram sends it again

    api.hold_chat = None
    restarted = _poller(app)
    await _run_until(restarted, lambda: 62 in api.offsets)
    assert len(api.texts(first.id)) == 1  # skipped as already handled
    assert len(api.texts(second.id)) == 1


async def test_a_stuck_update_is_parked_and_150_other_users_are_answered(
    queued: Queued,
) -> None:
    app, api = queued
    stuck = make_user(ADMIN_ID, language_code="en")
    others = [make_user(20_000 + n, language_code="en") for n in range(150)]
    api.queue = [make_message("/help", user=stuck, update_id=100)]
    api.hold_chat = stuck.id
    poller = _poller(app, park_after=0.2)
    task = asyncio.create_task(poller.run())
    await asyncio.wait_for(api.held.wait(), 5)
    # Behind it in its own chat, and 150 others: more than one getUpdates answer holds.
    api.queue += [make_message("/lang zh", user=stuck, update_id=101)]
    api.queue += [make_message("/help", user=u, update_id=102 + n) for n, u in enumerate(others)]
    await eventually(lambda: all(api.texts(u.id) for u in others))
    assert api.texts(stuck.id) == []
    assert {100, 101} <= await _inbox(app)  # parked: the offset went past them
    assert api.queued() == []
    api.release.set()
    await eventually(lambda: len(api.texts(stuck.id)) == 2)
    poller.stop()
    await task
    first, second = api.texts(stuck.id)
    assert first.startswith("What you can use:")
    assert second == "语言已设置为：中文。"  # its chat's order kept
    assert await _inbox(app) == set()  # handled, so forgotten
    assert all(len(api.texts(u.id)) == 1 for u in others)


async def test_parked_updates_survive_a_crash_and_run_first_in_order(queued: Queued) -> None:
    app, api = queued
    user, other = make_user(ADMIN_ID, language_code="en"), make_user(8004, language_code="en")
    api.queue = [make_message("/lang zh", user=user, update_id=200)]
    api.hold_chat = user.id
    crashed = _poller(app, park_after=0.1)
    task = asyncio.create_task(crashed.run())
    await asyncio.wait_for(api.held.wait(), 5)
    api.queue += [make_message("/help", user=user, update_id=201)]
    await eventually(lambda: 202 in api.offsets)  # both parked and confirmed
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    assert api.texts(user.id) == []
    assert await _inbox(app) == {200, 201}

    # Telegram no longer has them; after the restart they come from the inbox, before newer ones.
    api.hold_chat = None
    api.queue = [
        make_message("/lang en", user=user, update_id=202),
        make_message("/help", user=other, update_id=203),
    ]
    await _run_until(_poller(app), lambda: len(api.texts(user.id)) == 3 and 204 in api.offsets)
    assert api.texts(user.id)[0] == "语言已设置为：中文。"  # committed before the crash: sent once
    assert api.texts(user.id)[1].startswith("您可以使用：")
    assert api.texts(user.id)[2] == "Language set: English."
    assert len(api.texts(other.id)) == 1
    assert await _inbox(app) == set()


async def test_one_chat_is_handled_in_order(queued: Queued) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    api.queue = [
        make_message("/lang zh", user=user, update_id=70),
        make_message("/help", user=user, update_id=71),
        make_message("/lang en", user=user, update_id=72),
        make_message("/help", user=user, update_id=73),
    ]
    await _run_until(_poller(app), lambda: 74 in api.offsets)
    texts = api.texts(user.id)
    assert texts[0] == "语言已设置为：中文。"
    assert texts[1].startswith("您可以使用：")
    assert texts[2] == "Language set: English."
    assert texts[3].startswith("What you can use:")


async def test_stop_lets_the_update_in_hand_finish_and_confirms_it(queued: Queued) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    api.queue = [make_message("/help", user=user, update_id=90)]
    api.hold_chat = user.id
    poller = _poller(app, park_after=60)
    task = asyncio.create_task(poller.run())
    await asyncio.wait_for(api.held.wait(), 5)
    poller.stop()  # SIGTERM while the answer is on its way
    api.release.set()
    await asyncio.wait_for(task, 5)
    assert len(api.texts(user.id)) == 1  # the send in flight was let through, not cut off
    assert api.offsets[-1] == 91  # confirmed before returning
    assert api.queued() == []
    assert await _inbox(app) == set()


async def test_stop_keeps_what_outlasts_the_grace_for_the_next_start(queued: Queued) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    api.queue = [make_message("/help", user=user, update_id=95)]
    api.hold_chat = user.id
    poller = _poller(app, park_after=60, grace=0.1)
    task = asyncio.create_task(poller.run())
    await asyncio.wait_for(api.held.wait(), 5)
    poller.stop()
    await asyncio.wait_for(task, 5)
    assert api.texts(user.id) == []
    assert api.offsets[-1] == 96  # confirmed: the inbox has it
    assert api.queued() == []
    assert await _inbox(app) == {95}
    api.hold_chat = None
    await _run_until(_poller(app), lambda: len(api.texts(user.id)) == 1)
    assert await _inbox(app) == set()


async def test_a_parked_update_that_telegram_sends_again_is_handled_once(queued: Queued) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    update = make_message("/help", user=user, update_id=300)
    # Parked, then killed before the next getUpdates confirmed it: both sides still have it.
    async with app.sessionmaker.begin() as session:
        payload = update.model_dump(mode="json", exclude_none=True)
        await keep_updates(session=session, bot_id=app.bot.id, updates=[(300, payload)])
    api.queue = [update]
    await _run_until(_poller(app), lambda: 301 in api.offsets)  # confirmed at last
    assert len(api.texts(user.id)) == 1
    assert api.texts(user.id)[0].startswith("What you can use:")
    assert api.queued() == []
    assert await _inbox(app) == set()


async def test_an_update_failing_outside_the_error_handler_is_kept_not_confirmed(
    queued: Queued, monkeypatch: pytest.MonkeyPatch
) -> None:
    app, api = queued
    user = make_user(ADMIN_ID, language_code="en")
    api.queue = [make_message("/help", user=user, update_id=300)]
    original = app.dispatcher.feed_update

    async def broken(bot: Bot, update: Update, **kwargs: Any) -> Any:
        if update.update_id == 300:
            raise ConnectionError("database down")
        return await original(bot, update, **kwargs)

    monkeypatch.setattr(app.dispatcher, "feed_update", broken)
    poller = _poller(app, park_after=0.2)
    await _run_until(poller, lambda: 301 in api.offsets)
    # The offset passed it only once it was kept, to be tried again at the next start.
    assert await _inbox(app) == {300}
    assert api.texts(user.id) == []
