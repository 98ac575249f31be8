"""What polling and webhook mode both do around taking updates: start-up and shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import App
from bot.maintenance import UPDATE_MEMORY, maintenance_loop
from bot.outbox import deliver_replies
from handlers.menu import set_default_menus
from storage.inbox import kept_update_ids
from storage.models import PendingReply
from storage.outbox import pending_replies
from storage.types import utcnow
from storage.updates import prune_updates

log = logging.getLogger(__name__)
# Answers the last run left unsent, taken at start; housekeeping sends any beyond these later.
LEFTOVERS_AT_START = 10_000


@asynccontextmanager
async def serving(app: App) -> AsyncIterator[None]:
    """Menus, the startup hooks and housekeeping around the body; on the way out, the shutdown
    hooks and closing every connection. The body takes updates and returns on a stop signal."""
    background: list[asyncio.Task[None]] = []
    try:
        # In the background: the answers of one chat must not wait for another chat's hundreds.
        background.append(asyncio.create_task(send_leftovers(app)))
        await set_default_menus(app.bot, app.i18n)
        await app.dispatcher.emit_startup(bot=app.bot, **app.dispatcher.workflow_data)
        background.append(asyncio.create_task(maintenance_loop(app)))
        yield
    finally:
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await app.dispatcher.emit_shutdown(bot=app.bot, **app.dispatcher.workflow_data)
        await app.close()
        log.info("stopped")


async def send_leftovers(app: App) -> None:
    """Send what the last run saved and did not send, each chat's answers in order and chats side
    by side, and forget update ids too old to come back. Answers of an update still in the inbox
    are left to polling, which sends them when it takes that update up again, before the chat's
    next update."""
    try:
        async with app.sessionmaker() as session:
            rows = await pending_replies(
                session=session, bot_id=app.bot.id, limit=LEFTOVERS_AT_START
            )
            in_inbox = await kept_update_ids(session=session, bot_id=app.bot.id)
        chats: dict[int, list[PendingReply]] = {}
        for row in rows:
            if row.update_id not in in_inbox:
                chats.setdefault(row.chat_id, []).append(row)
        sent = await asyncio.gather(
            *(deliver_replies(app.bot, app.sessionmaker, rows=chat) for chat in chats.values())
        )
        if chats:
            log.info("sent %d replies left unsent", sum(sent))
        async with app.sessionmaker.begin() as session:
            await prune_updates(session=session, older_than=utcnow() - UPDATE_MEMORY)
    except Exception:
        # Housekeeping tries again every minute; the bot itself must not stop for this.
        log.exception("sending leftover replies failed")
