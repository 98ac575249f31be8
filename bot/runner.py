"""Polling mode: startup, the poller, graceful shutdown on SIGINT/SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.app import App, build_app
from bot.polling import Poller
from bot.serving import serving
from services.config import Settings

log = logging.getLogger(__name__)


async def run_polling(settings: Settings) -> None:
    await poll(build_app(settings))


async def poll(app: App) -> None:
    """Long-poll with `app` until a stop signal; closes the app on the way out."""
    poller = Poller(
        app.bot,
        app.dispatcher,
        sessionmaker=app.sessionmaker,
        concurrency=app.settings.polling_concurrency,
        allowed_updates=app.dispatcher.resolve_used_update_types(),
    )
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, poller.stop)
    async with serving(app) as served:
        # A chat's updates wait for what the last run left unsent to it.
        poller.after(served.leftovers)
        # A webhook left from webhook mode would make getUpdates fail with 409.
        await app.bot.delete_webhook(drop_pending_updates=False)
        me = await app.bot.get_me()
        log.info("polling as @%s", me.username)
        await poller.run()
