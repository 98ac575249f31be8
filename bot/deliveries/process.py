"""A sender alone, in a process of its own: `python -m bot deliveries run`.

The bot's own process sends deliveries too; more sender processes (on PostgreSQL, where they
claim rows with SKIP LOCKED) add throughput only when Telegram allows it (paid broadcasts), and
they share no budget with the bot's process: DELIVERY_RATE is per process.
"""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.app import build_bot
from bot.deliveries.sender import DeliverySender
from bot.i18n import build_i18n
from handlers.bulletin_templates import register_templates
from services.config import Settings
from storage.db import create_engine, create_sessionmaker

log = logging.getLogger(__name__)


async def run_sender(settings: Settings, *, until_idle: bool = False) -> None:
    """Send due deliveries until SIGTERM or SIGINT (or, with `until_idle`, until nothing is
    due); stopping, the batch under way is marked and its rows not begun are handed back."""
    engine = create_engine(
        settings.database_url,
        sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        concurrency=settings.delivery_concurrency,
    )
    bot = build_bot(settings)
    register_templates()
    sender = DeliverySender(bot, create_sessionmaker(engine), build_i18n(settings), settings)
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, sender.stop)
    try:
        if until_idle:
            while await sender.run_once():
                pass
        else:
            log.info("delivery sender started")
            await sender.run()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        await bot.session.close()
        await engine.dispose()
        log.info("delivery sender stopped")
