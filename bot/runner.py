"""Running the bot: startup, polling, graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.app import App, build_app
from bot.config import Settings
from bot.maintenance import UPDATE_MEMORY, maintenance_loop
from bot.polling import Poller
from bot.replies import deliver_replies
from handlers.menu import set_default_menus
from storage.types import utcnow
from storage.updates import prune_updates

log = logging.getLogger(__name__)


async def prepare(app: App) -> asyncio.Task[None]:
    """What both modes do before taking updates; returns the housekeeping task to cancel."""
    async with app.sessionmaker.begin() as session:
        pruned = await prune_updates(session=session, older_than=utcnow() - UPDATE_MEMORY)
    log.info("pruned %d handled update ids", pruned)
    # Nothing is being sent yet: everything saved and unsent is a leftover of the last run.
    sent = await deliver_replies(app.bot, app.sessionmaker)
    log.info("sent %d replies left unsent by the last run", sent)
    await set_default_menus(app.bot, app.i18n)
    await app.dispatcher.emit_startup(bot=app.bot, **app.dispatcher.workflow_data)
    return asyncio.create_task(maintenance_loop(app))


async def run_polling(settings: Settings) -> None:
    app = build_app(settings)
    poller = Poller(
        app.bot,
        app.dispatcher,
        concurrency=settings.polling_concurrency,
        allowed_updates=app.dispatcher.resolve_used_update_types(),
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, poller.stop)
    housekeeping: asyncio.Task[None] | None = None
    try:
        housekeeping = await prepare(app)
        # A webhook left from webhook mode would make getUpdates fail with 409.
        await app.bot.delete_webhook(drop_pending_updates=False)
        me = await app.bot.get_me()
        log.info("polling as @%s", me.username)
        await poller.run()
    finally:
        if housekeeping is not None:
            housekeeping.cancel()
        await app.dispatcher.emit_shutdown(bot=app.bot, **app.dispatcher.workflow_data)
        await app.close()
        log.info("stopped")
