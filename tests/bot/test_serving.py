"""Start-up: answers a crash left unsent go out first in their chat, and hold up no other chat."""

from __future__ import annotations

import asyncio

from bot.outbox import stage_replies
from bot.polling import Poller
from bot.serving import serving
from services.outbox import holding_replies
from storage.models import ProcessedUpdate
from tests.bot.queue_api import Queued, eventually
from tests.factories import make_message, make_user


async def test_leftovers_go_first_in_their_chat_and_hold_up_no_other(queued: Queued) -> None:
    app, api = queued
    waiting, other = make_user(8101, language_code="en"), make_user(8102, language_code="en")
    # The last run handled update 1 and died before sending its two answers.
    async with app.sessionmaker.begin() as session:
        with holding_replies():
            await app.bot.send_message(waiting.id, "左下的第一条")
            await app.bot.send_message(waiting.id, "左下的第二条")
            await stage_replies(session=session, bot_id=app.bot.id, update_id=1)
        session.add(ProcessedUpdate(bot_id=app.bot.id, update_id=1))
    api.hold_chat = waiting.id  # its chat is slow to take them
    api.queue = [make_message("/help", user=waiting, update_id=2)]
    api.queue.append(make_message("/help", user=other, update_id=3))
    poller = Poller(app.bot, app.dispatcher, sessionmaker=app.sessionmaker, timeout=0)
    async with serving(app) as served:
        poller.after(served.leftovers)
        task = asyncio.create_task(poller.run())
        await eventually(lambda: len(api.texts(other.id)) == 1)  # not held up by the other chat
        assert api.texts(waiting.id) == []
        api.release.set()
        await eventually(lambda: len(api.texts(waiting.id)) == 3)
        poller.stop()
        await task
    first, second, third = api.texts(waiting.id)
    assert (first, second) == ("左下的第一条", "左下的第二条")
    assert "invitation link or code" in third
