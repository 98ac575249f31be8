"""Housekeeping while the bot runs: answers left unsent, and the memory of handled updates."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from bot.app import App
from bot.outbox import deliver_replies
from bot.sent import sent_marks
from storage.types import utcnow
from storage.updates import prune_updates

log = logging.getLogger(__name__)
# Telegram keeps unconfirmed updates for 24 hours; remembering handled ids longer is useless.
UPDATE_MEMORY = timedelta(days=2)
# An answer still unsent this long after its update is a leftover, not one being sent now
# (a send waits out flood control for five minutes at most).
LEFTOVER_AGE = timedelta(minutes=6)


async def run_once(app: App, *, leftover_age: timedelta | None = LEFTOVER_AGE) -> None:
    """Send answers a failure left behind (Telegram was down, a long flood wait), and forget
    update ids too old to come back. At startup nothing is being sent yet: `leftover_age=None`
    takes every saved answer as a leftover of the last run."""
    sent = await deliver_replies(app.bot, app.sessionmaker, older_than=leftover_age)
    if sent:
        log.info("sent %d replies left unsent", sent)
    journal = sent_marks(app.sessionmaker).journal
    if leftover_age is None and journal is not None:
        # Every row it listed has just been deleted.
        journal.clear()
    async with app.sessionmaker.begin() as session:
        await prune_updates(session=session, older_than=utcnow() - UPDATE_MEMORY)


async def maintenance_loop(app: App, *, every: float = 60.0) -> None:
    while True:
        await asyncio.sleep(every)
        try:
            await run_once(app)
        except Exception:
            # The next round tries again; the bot itself must not stop for this.
            log.exception("maintenance round failed")
