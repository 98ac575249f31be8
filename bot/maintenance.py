"""Housekeeping while the bot runs: answers left unsent, the memory of handled updates and the
journal of sent replies."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.app import App
from bot.outbox import deliver_replies
from bot.sent import sent_marks
from bot.stopping import stop_if_cancelled
from storage.types import utcnow
from storage.updates import prune_updates

log = logging.getLogger(__name__)
# Telegram keeps unconfirmed updates for 24 hours; remembering handled ids longer is useless.
UPDATE_MEMORY = timedelta(days=2)
# An answer still unsent this long after its update is a leftover, not one being sent now
# (a send waits out flood control for five minutes at most).
LEFTOVER_AGE = timedelta(minutes=6)


async def run_once(app: App) -> None:
    """Send answers a failure left behind (Telegram was down, a long flood wait), and forget
    update ids too old to come back. (What the last run left is sent at start: bot.serving.)"""
    sent = await deliver_replies(app.bot, app.sessionmaker, older_than=LEFTOVER_AGE)
    if sent:
        log.info("sent %d replies left unsent", sent)
    async with app.sessionmaker.begin() as session:
        await prune_updates(session=session, older_than=utcnow() - UPDATE_MEMORY)
    if await sent_marks(app.sessionmaker).compact(app.sessionmaker):
        log.info("the journal of sent replies was compacted")


async def maintenance_loop(app: App, *, every: float = 60.0) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await run_once(app)
        except Exception:
            stop_if_cancelled()
            # The next round tries again; the bot itself must not stop for this.
            log.exception("maintenance round failed")
