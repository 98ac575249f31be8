"""Running the bot: startup, polling, graceful shutdown."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.app import App, build_app
from bot.maintenance import maintenance_loop, run_once
from bot.polling import Poller
from handlers.menu import set_default_menus
from services.config import Settings

log = logging.getLogger(__name__)


async def prepare(app: App) -> asyncio.Task[None]:
    """What both modes do before taking updates; returns the housekeeping task to cancel."""
    await run_once(app, leftover_age=None)
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
