"""What polling and webhook mode both do around taking updates: start-up and shutdown."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from bot.app import App
from bot.broadcasts import ProgressReporter
from bot.deliveries.sender import DeliverySender
from bot.feed_watch import FeedWatch
from bot.maintenance import UPDATE_MEMORY, maintenance_loop
from bot.outbox import deliver_replies, settle_journal
from handlers.menu import set_default_menus
from services.bulletin_feed.model import FeedItem
from services.bulletins.from_feed import import_feed_item
from storage.inbox import kept_update_ids
from storage.models import PendingReply
from storage.outbox import pending_replies
from storage.types import utcnow
from storage.updates import prune_updates

log = logging.getLogger(__name__)
# Answers the last run left unsent, taken at start; housekeeping sends any beyond these later.
LEFTOVERS_AT_START = 10_000
# Allocations before a young collection, and young (middle) collections before an older one.
GC_THRESHOLDS = (10_000, 50, 100)
# How long the delivery sender may take to mark its last batch before it is cancelled.
SENDER_STOP_SECONDS = 10.0
# How long a feed poll under way may take to record its outcome before it is cancelled.
FEED_STOP_SECONDS = 10.0


@dataclass
class Served:
    """What the last run left unsent, being sent now: chat id → the task sending it in order."""

    leftovers: dict[int, asyncio.Task[int]] = field(default_factory=dict)

    async def leftovers_sent(self) -> None:
        await asyncio.gather(*self.leftovers.values(), return_exceptions=True)


@asynccontextmanager
async def serving(app: App) -> AsyncIterator[Served]:
    """Menus, the startup hooks and housekeeping around the body; on the way out, the shutdown
    hooks and closing every connection. The body takes updates and returns on a stop signal.

    Answers the last run left unsent go out in the background, each chat's in a task of its own
    (`Served.leftovers`): a chat's next update must wait for its chat's task (else it could be
    answered first, or a redelivered update could send a reply the task is sending), but not
    for another chat's hundreds.
    """
    served = Served()
    housekeeping: asyncio.Task[None] | None = None
    deliveries: asyncio.Task[None] | None = None
    sender: DeliverySender | None = None
    feed: tuple[FeedWatch, asyncio.Task[None]] | None = None
    progress: asyncio.Task[None] | None = None
    reporter: ProgressReporter | None = None
    try:
        served.leftovers = await send_leftovers(app)
        await set_default_menus(app.bot, app.i18n)
        await app.dispatcher.emit_startup(bot=app.bot, **app.dispatcher.workflow_data)
        housekeeping = asyncio.create_task(maintenance_loop(app))
        # Stopped mid-batch, its claimed rows are taken again once their lease expires.
        sender = DeliverySender(app.bot, app.sessionmaker, app.i18n, app.settings)
        deliveries = asyncio.create_task(sender.run())
        feed = start_feed_watch(app)
        reporter = ProgressReporter(app.bot, app.sessionmaker, app.i18n, app.settings)
        progress = asyncio.create_task(reporter.run())
        settle_heap()
        yield served
    finally:
        if feed is not None:
            # Like the sender: told to stop, so that a poll never stops mid-transaction.
            feed[0].stop()
            await asyncio.wait({feed[1]}, timeout=FEED_STOP_SECONDS)
        if sender is not None and deliveries is not None:
            # Told, not cancelled: its database work is finished, not cut in half.
            sender.stop()
            await asyncio.wait({deliveries}, timeout=SENDER_STOP_SECONDS)
        if reporter is not None and progress is not None:
            reporter.stop()
            await asyncio.wait({progress}, timeout=SENDER_STOP_SECONDS)
        feed_task = feed[1] if feed is not None else None
        background_loops = (housekeeping, deliveries, feed_task, progress)
        loops = [task for task in background_loops if task is not None]
        background = [*served.leftovers.values(), *loops]
        for task in background:
            task.cancel()
        await asyncio.gather(*background, return_exceptions=True)
        await app.dispatcher.emit_shutdown(bot=app.bot, **app.dispatcher.workflow_data)
        await app.close()
        log.info("stopped")


def start_feed_watch(app: App) -> tuple[FeedWatch, asyncio.Task[None]] | None:
    """The bulletin feed watch, when BULLETIN_FEED_URL is set."""
    if app.settings.bulletin_feed_url is None:
        return None

    async def import_item(item: FeedItem, content: bytes, filename: str) -> int | None:
        return await import_feed_item(
            sessionmaker=app.sessionmaker,
            item=item,
            content=content,
            filename=filename,
            now=utcnow(),
            admin_ids=app.settings.admin_ids,
        )

    watch = FeedWatch(app.settings, app.sessionmaker, on_new_issue=import_item)
    log.info("watching the bulletin feed every %d minutes", app.settings.bulletin_feed_minutes)
    return watch, asyncio.create_task(watch.run())


def settle_heap() -> None:
    """Leave what start-up built (modules, the app, catalogues) out of later garbage collections.

    A full collection walks every object the process holds, a hundred milliseconds or more with
    aiogram and SQLAlchemy loaded; one that a large roster import sets off would hold up every
    other user's answer that long. Frozen, those objects are no longer walked; and collections
    of the oldest generation come rarer, since a large import's own objects (hundreds of
    thousands, freed by reference counting) would otherwise be walked again at every quarter of
    growth. Measured with `bench roster` (column stall_ms).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


async def send_leftovers(app: App) -> dict[int, asyncio.Task[int]]:
    """Start sending what the last run saved and did not send, and forget update ids too old to
    come back. Answers of an update still in the inbox are left to polling, which sends them
    when it takes that update up again."""
    async with app.sessionmaker() as session:
        rows = await pending_replies(session=session, bot_id=app.bot.id, limit=LEFTOVERS_AT_START)
        in_inbox = await kept_update_ids(session=session, bot_id=app.bot.id)
    async with app.sessionmaker.begin() as session:
        await prune_updates(session=session, older_than=utcnow() - UPDATE_MEMORY)
    rows = await settle_journal(app.sessionmaker, rows, complete=len(rows) < LEFTOVERS_AT_START)
    chats: dict[int, list[PendingReply]] = {}
    for row in rows:
        if row.update_id not in in_inbox:
            chats.setdefault(row.chat_id, []).append(row)
    if chats:
        log.info("sending replies left unsent to %d chats", len(chats))
    return {
        chat_id: asyncio.create_task(deliver_replies(app.bot, app.sessionmaker, rows=chat))
        for chat_id, chat in chats.items()
    }
