"""Webhook mode: Telegram posts updates to an aiohttp server; each is handled before answering.

Handling before the 200 (handle_in_background=False) means a crash mid-update leaves the post
unanswered, so Telegram posts it again; the handled-once mark then skips what was committed.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from sqlalchemy import text

from bot.app import App, build_app
from bot.serving import serving
from services.config import Settings

log = logging.getLogger(__name__)


def build_web_app(app: App) -> web.Application:
    settings = app.settings
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    web_app = web.Application()
    # aiogram compares X-Telegram-Bot-Api-Secret-Token with secrets.compare_digest.
    SimpleRequestHandler(
        dispatcher=app.dispatcher, bot=app.bot, handle_in_background=False, secret_token=secret
    ).register(web_app, path=settings.webhook_path)

    async def healthz(_request: web.Request) -> web.Response:
        async with app.sessionmaker() as session:
            await session.execute(text("SELECT 1"))
        return web.json_response({"ok": True})

    web_app.router.add_get("/healthz", healthz)
    return web_app


async def register_webhook(app: App) -> None:
    settings = app.settings
    assert settings.webhook_url is not None  # noqa: S101 - checked by require_webhook
    await app.bot.set_webhook(
        url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value()
        if settings.webhook_secret
        else None,
        allowed_updates=app.dispatcher.resolve_used_update_types(),
        drop_pending_updates=False,
    )


async def run_webhook(settings: Settings) -> None:
    settings.require_webhook()
    app = build_app(settings)
    runner = web.AppRunner(build_web_app(app), access_log=None, shutdown_timeout=30)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with serving(app) as served:
        # Posts run side by side, in no chat's order: what the last run left goes out first.
        await served.leftovers_sent()
        await runner.setup()
        try:
            await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
            await register_webhook(app)
            log.info("webhook listening on %s:%d", settings.webhook_host, settings.webhook_port)
            await stop.wait()
        finally:
            # aiohttp lets requests in flight finish (shutdown_timeout) before closing.
            await runner.cleanup()
