"""The progress messages of broadcasts: sent, then edited as their delivery goes, then replaced
by the final report. Driven by the database (storage.broadcasts), not by memory, so that a
restart picks up where it stopped; any process may run it.

A message is edited at most once per EDIT_EVERY per broadcast, and only when its text or buttons
changed (Telegram refuses an edit that changes nothing with a 400). Before it sends or edits, a
process takes its turn in the database, so that two bot processes do not both edit or report.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.stopping import stop_if_cancelled
from handlers.broadcast_render import progress_markup, progress_text, report_text
from services.broadcasts.progress import broadcast_progress
from services.config import Settings
from storage.broadcasts import Broadcast, save_progress, take_turn, unreported_broadcasts
from storage.types import utcnow

log = logging.getLogger(__name__)
EDIT_EVERY = timedelta(seconds=5)
# How often the broadcasts under way are looked at.
TICK_SECONDS = 1.0
# Broadcasts looked at per round; the rest wait for the next.
PER_ROUND = 50


@dataclass
class ProgressReporter:
    bot: Bot
    sessionmaker: async_sessionmaker[AsyncSession]
    i18n: I18n
    settings: Settings
    clock: Callable[[], datetime] = utcnow
    _stopping: asyncio.Event = field(init=False, default_factory=asyncio.Event)

    async def run(self) -> None:
        """Every TICK_SECONDS until `stop`; a round under way is finished, not cut short."""
        while not self._stopping.is_set():
            try:
                await self.run_once()
            except Exception:
                stop_if_cancelled()
                log.exception("broadcast progress round failed")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(TICK_SECONDS):
                    await self._stopping.wait()

    def stop(self) -> None:
        self._stopping.set()

    async def run_once(self) -> int:
        """Update the progress messages that are due; the number of messages sent or edited."""
        async with self.sessionmaker() as session:
            broadcasts = await unreported_broadcasts(session=session, limit=PER_ROUND)
        changed = 0
        for broadcast in broadcasts:
            try:
                changed += await self._report(broadcast)
            except TelegramForbiddenError:
                # The author blocked the bot: nobody to report to, so the reporting ends.
                await self._save(broadcast, broadcast.progress_message_id, "", reported=True)
        return changed

    async def _report(self, broadcast: Broadcast) -> int:
        now = self.clock()
        last = broadcast.progress_at
        if broadcast.progress_message_id is not None and last and now - last < EDIT_EVERY:
            return 0
        async with self.sessionmaker() as session:
            view = await broadcast_progress(session=session, broadcast=broadcast, now=now)
        locale = broadcast.locale
        with self.i18n.context(), self.i18n.use_locale(locale):
            text = progress_text(view, self.settings.tz, locale, now)
            markup = progress_markup(view)
            report = report_text(view) if view.finished else None
        digest = _digest(text, markup)
        if digest == broadcast.progress_digest and report is None:
            return 0
        assert broadcast.id is not None  # noqa: S101 - saved rows
        async with self.sessionmaker.begin() as session:
            seen_at = broadcast.progress_at
            if not await take_turn(
                session=session, broadcast_id=broadcast.id, seen_at=seen_at, now=now
            ):
                return 0  # another process is updating it
        message_id = broadcast.progress_message_id
        if digest != broadcast.progress_digest:
            message_id = await self._show(broadcast, text, markup)
        if report is not None:
            await self.bot.send_message(broadcast.chat_id, report)
        await self._save(broadcast, message_id, digest, reported=view.finished)
        return 1

    async def _show(
        self, broadcast: Broadcast, text: str, markup: InlineKeyboardMarkup | None
    ) -> int:
        chat_id = broadcast.chat_id
        message_id = broadcast.progress_message_id
        if message_id is not None:
            try:
                await self.bot.edit_message_text(
                    text=text, chat_id=chat_id, message_id=message_id, reply_markup=markup
                )
                return message_id
            except TelegramBadRequest as exc:
                if "not modified" in exc.message:
                    return message_id
                # Deleted by its reader, or too old to edit: a new one takes its place.
                log.info("progress message of broadcast %s not edited: %s", broadcast.id, exc)
        sent = await self.bot.send_message(chat_id, text, reply_markup=markup)
        return sent.message_id

    async def _save(
        self,
        broadcast: Broadcast,
        message_id: int | None,
        digest: str,
        *,
        reported: bool,
    ) -> None:
        assert broadcast.id is not None  # noqa: S101 - saved rows
        async with self.sessionmaker.begin() as session:
            await save_progress(
                session=session,
                broadcast_id=broadcast.id,
                message_id=message_id,
                digest=digest,
                at=self.clock(),
                reported=reported,
            )


def _digest(text: str, markup: InlineKeyboardMarkup | None) -> str:
    shown = text + "\n" + (markup.model_dump_json() if markup is not None else "")
    return hashlib.sha256(shown.encode()).hexdigest()
