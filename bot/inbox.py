"""The poller's side of the inbox: which parked updates are done, and what to resume.

An update is parked (stored) when it has run too long to keep holding the offset; once it has
been handled its row is deleted with the next park, in the same transaction, so a quiet bot makes
no extra writes. One that failed outside the error handler (the database down) stays, to be tried
again at the next start.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from aiogram import Bot
from aiogram.types import Update
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.inbox import drop_updates, keep_updates, kept_updates

log = logging.getLogger(__name__)


class Inbox:
    def __init__(self, bot: Bot, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._bot = bot
        self._sessionmaker = sessionmaker
        self._parked: set[int] = set()
        self._done: set[int] = set()

    async def resume(self) -> list[Update]:
        """What the last run parked and did not finish, oldest first."""
        async with self._sessionmaker() as session:
            rows = await kept_updates(session=session, bot_id=self._bot.id)
        updates = []
        for row in rows:
            try:
                updates.append(Update.model_validate(row.payload, context={"bot": self._bot}))
            except ValidationError:
                log.exception("update %s in the inbox cannot be read; dropped", row.update_id)
                self._done.add(row.update_id)
                continue
            self._parked.add(row.update_id)
        if updates:
            log.info("resuming %d updates parked before the last stop", len(updates))
        return updates

    def track(self, update_id: int, task: asyncio.Task[bool]) -> None:
        def finished(done: asyncio.Task[bool]) -> None:
            if update_id in self._parked and not done.cancelled() and done.result():
                self._parked.discard(update_id)
                self._done.add(update_id)

        task.add_done_callback(finished)

    async def park(self, updates: Sequence[Update]) -> None:
        """Store `updates` and forget the parked ones handled since; one transaction."""
        if not updates and not self._done:
            return
        done = set(self._done)
        ids = {update.update_id for update in updates}
        # Marked before the commit: one that ends meanwhile must still count as done.
        self._parked |= ids
        payloads = [(u.update_id, u.model_dump(mode="json", exclude_none=True)) for u in updates]
        try:
            async with self._sessionmaker.begin() as session:
                await drop_updates(session=session, bot_id=self._bot.id, update_ids=done)
                await keep_updates(session=session, bot_id=self._bot.id, updates=payloads)
        except BaseException:
            self._parked -= ids
            raise
        self._done -= done
        if updates:
            log.info("parked %d slow updates: %s", len(updates), sorted(ids))
