"""Long polling that loses no update and lets no slow one hold up the others.

aiogram's own polling confirms an update as soon as it has read it: a crash while handling loses
it. So the offset sent to getUpdates (which confirms everything below it) stops at the oldest
update still being handled. But getUpdates returns at most 100 updates from the offset on: one
slow update (a big import, hundreds of answers under flood control) would stop the whole bot once
99 more wait behind it. So an update still running after `park_after` seconds is parked: stored in
the inbox (storage/inbox.py), after which the offset may pass it. It leaves the inbox once handled;
what a crash leaves there is handled again at the next start, before anything newer, and the
handled-once mark skips what was done. Handling itself is in bot/lanes.py: one chat's updates in
order, chats side by side.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.types import Update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.inbox import Inbox
from bot.lanes import Lanes

log = logging.getLogger(__name__)

# getUpdates returns at most 100 updates; more unconfirmed than that cannot be fetched anyway.
WINDOW = 100
# Fetched and not finished, beyond which fetching waits (parked updates included).
MOST_IN_HAND = 1000


class Poller:
    def __init__(
        self,
        bot: Bot,
        dispatcher: Dispatcher,
        *,
        sessionmaker: async_sessionmaker[AsyncSession] | None = None,
        concurrency: int = 16,
        timeout: int = 30,
        allowed_updates: Sequence[str] | None = None,
        on_handled: Callable[[Update, float], None] | None = None,
        park_after: float = 1.0,
        grace: float = 15.0,
    ) -> None:
        self._bot = bot
        self._lanes = Lanes(bot, dispatcher, concurrency=concurrency, on_handled=on_handled)
        self._inbox = Inbox(bot, sessionmaker) if sessionmaker is not None else None
        self._timeout = timeout
        self._allowed = list(allowed_updates) if allowed_updates is not None else None
        self._park_after = park_after
        self._grace = grace
        self._stopping = asyncio.Event()
        # Fetched, not parked, not finished: these hold the offset back. Id → (update, fetched at).
        self._holding: dict[int, tuple[Update, float]] = {}
        self._resumed: set[int] = set()
        self._seen: int | None = None
        self.offset: int | None = None

    @property
    def escaped(self) -> int:
        return self._lanes.escaped

    def stop(self) -> None:
        """Stop fetching, give the updates in hand `grace` seconds, return from run()."""
        self._stopping.set()

    def after(self, chats: Mapping[int, asyncio.Task[Any]]) -> None:
        """Updates of these chats (by id) start only once their task has ended."""
        for key, task in chats.items():
            self._lanes.after(key, task)

    async def handle_batch(self, updates: Sequence[Update]) -> None:
        """Handle these updates (one chat's in order) and return when all are done."""
        await asyncio.wait([self._lanes.start(update) for update in updates])

    async def run(self) -> None:
        inbox = self._inbox
        if inbox is None:
            raise RuntimeError("polling parks slow updates in the database: pass sessionmaker")
        try:
            for update in await inbox.resume():
                self._resumed.add(update.update_id)
                inbox.track(update.update_id, self._lanes.start(update))
            await self._poll(inbox)
            await self._lanes.wait_all(self._grace)
            # What still runs is kept for the next start, then stopped; the rest is confirmed.
            with contextlib.suppress(SQLAlchemyError):
                await self._park(inbox, cutoff=None)
            self.offset = self._confirm_point()
            self._lanes.cancel()
            await self._lanes.wait_all(None)
            with contextlib.suppress(SQLAlchemyError):
                await inbox.park([])
            await self._confirm()
        except asyncio.CancelledError:
            # Killed: what runs dies with us; Telegram or the inbox still has it.
            self._lanes.cancel()
            raise

    async def _poll(self, inbox: Inbox) -> None:
        delay = 1.0
        while not self._stopping.is_set():
            try:
                await self._park(inbox, cutoff=time.monotonic() - self._park_after)
                self.offset = self._confirm_point()
                if len(self._holding) >= WINDOW or len(self._lanes) >= MOST_IN_HAND:
                    await self._progress()
                    continue
                updates = await self._fetch()
            except (TelegramNetworkError, TelegramAPIError, SQLAlchemyError) as exc:
                log.warning("polling failed (%s); retry in %.0f s", type(exc).__name__, delay)
                await self._sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            fresh = [update for update in updates if self._take(update)]
            if updates and not fresh and self._holding:
                # Telegram repeated only what is held: wait for some to end or to be parked.
                await self._progress()

    def _take(self, update: Update) -> bool:
        """Start `update` if it is new; True if it was."""
        update_id = update.update_id
        if update_id in self._resumed:
            # Parked before the restart and running again: the offset may pass it.
            self._seen = max(self._seen or update_id, update_id)
            return False
        if self._seen is not None and update_id <= self._seen:
            return False
        self._start(update)
        return True

    def _start(self, update: Update) -> None:
        update_id = update.update_id
        self._seen = update_id
        self._holding[update_id] = (update, time.monotonic())
        task = self._lanes.start(update)

        def finished(done: asyncio.Task[bool]) -> None:
            # One that failed outside the error handler (the database down) stays held, to be
            # parked: confirmed without a handled mark, Telegram would forget it.
            if done.cancelled() or done.result():
                self._holding.pop(update_id, None)

        task.add_done_callback(finished)
        assert self._inbox is not None  # noqa: S101 - run() checked it
        self._inbox.track(update_id, task)

    async def _park(self, inbox: Inbox, *, cutoff: float | None) -> None:
        """Store the updates held since before `cutoff` (None: all) so the offset may pass them."""
        due = [
            update
            for update, fetched in self._holding.values()
            if cutoff is None or fetched <= cutoff
        ]
        await inbox.park(due)
        for update in due:
            self._holding.pop(update.update_id, None)

    def _confirm_point(self) -> int | None:
        if self._holding:
            return min(self._holding)
        return self._seen + 1 if self._seen is not None else self.offset

    async def _progress(self) -> None:
        """Wait until a held update ends or the oldest is due to be parked (at most a second)."""
        if not self._holding:
            await self._lanes.wait_any(1.0)
            return
        oldest = min(fetched for _update, fetched in self._holding.values())
        wait = min(max(oldest + self._park_after - time.monotonic(), 0.01), 1.0)
        await self._lanes.wait_any(wait)

    async def _fetch(self) -> list[Update]:
        fetch = asyncio.ensure_future(
            self._bot.get_updates(
                offset=self.offset,
                timeout=self._timeout,
                allowed_updates=self._allowed,
                request_timeout=self._timeout + 10,
            )
        )
        stopping = asyncio.ensure_future(self._stopping.wait())
        done, _pending = await asyncio.wait({fetch, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if fetch not in done:
            # Shutting down: what this call would return stays unconfirmed and comes again.
            fetch.cancel()
            return []
        return list(fetch.result())

    async def _confirm(self) -> None:
        if self.offset is None:
            return
        try:
            await self._bot.get_updates(offset=self.offset, timeout=0, limit=1)
        except (TelegramNetworkError, TelegramAPIError):
            log.warning("could not confirm the last updates; they come again and are skipped")

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
