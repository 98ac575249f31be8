"""Long polling that confirms an update only after it has been handled.

aiogram's own polling advances the offset as soon as it has read an update and, by default, handles
it in a background task: a crash in between loses the update. Here a batch is handled first and
confirmed by the next getUpdates; updates of one chat run in order, different chats in parallel.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Sequence

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.types import Update

log = logging.getLogger(__name__)


class Poller:
    def __init__(
        self,
        bot: Bot,
        dispatcher: Dispatcher,
        *,
        concurrency: int = 16,
        timeout: int = 30,
        allowed_updates: Sequence[str] | None = None,
        on_handled: Callable[[Update, float], None] | None = None,
    ) -> None:
        self._bot = bot
        self._dispatcher = dispatcher
        self._slots = asyncio.Semaphore(concurrency)
        self._timeout = timeout
        self._allowed = list(allowed_updates) if allowed_updates is not None else None
        self._on_handled = on_handled
        self._stopping = asyncio.Event()
        self.offset: int | None = None
        # Updates whose failure escaped the error handler (a bug, or the database down).
        self.escaped = 0

    def stop(self) -> None:
        """Finish the batch in hand, confirm it, and return from run()."""
        self._stopping.set()

    async def run(self) -> None:
        delay = 1.0
        while not self._stopping.is_set():
            try:
                updates = await self._fetch()
            except (TelegramNetworkError, TelegramAPIError) as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", type(exc).__name__, delay)
                await self._sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            delay = 1.0
            if updates:
                await self.handle_batch(updates)
                self.offset = updates[-1].update_id + 1
        await self._confirm()

    async def handle_batch(self, updates: Sequence[Update]) -> None:
        by_chat: dict[int, list[Update]] = defaultdict(list)
        for update in updates:
            by_chat[_chat_key(update)].append(update)
        await asyncio.gather(*(self._handle_in_order(chain) for chain in by_chat.values()))

    async def _handle_in_order(self, chain: list[Update]) -> None:
        async with self._slots:
            for update in chain:
                await self._handle(update)

    async def _handle(self, update: Update) -> None:
        started = time.perf_counter()
        try:
            response = await self._dispatcher.feed_update(self._bot, update)
            if isinstance(response, TelegramMethod):
                await self._bot(response)
        except Exception:
            # The error handler answers users; this catches what escaped it, so polling goes on.
            self.escaped += 1
            log.exception("update %s failed outside the error handler", update.update_id)
        if self._on_handled is not None:
            self._on_handled(update, time.perf_counter() - started)

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
            log.warning("could not confirm the last batch; it will be redelivered and skipped")

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)


def _chat_key(update: Update) -> int:
    try:
        event = update.event
    except Exception:
        return 0
    user = getattr(event, "from_user", None)
    return int(user.id) if user is not None else 0
