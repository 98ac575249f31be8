"""Long polling that confirms an update only after it has been handled.

aiogram's own polling advances the offset as soon as it has read an update and, by default, handles
it in a background task: a crash in between loses the update. Here every update runs in a task of
its own (one chat's updates in order, different chats in parallel) and the offset sent to
getUpdates — which confirms everything below it — never passes the oldest update still running.
Fetching goes on meanwhile, so one slow update (a big import, a long flood wait) holds up only its
own chat, not the whole bot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Sequence

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.types import Update

log = logging.getLogger(__name__)


# getUpdates returns at most 100 updates; more in flight than that cannot be fetched anyway.
WINDOW = 100


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
        self._running: dict[asyncio.Task[None], int] = {}
        self._chat_tail: dict[int, asyncio.Task[None]] = {}
        self._seen: int | None = None
        self.offset: int | None = None
        # Updates whose failure escaped the error handler (a bug, or the database down).
        self.escaped = 0

    def stop(self) -> None:
        """Stop fetching, let the updates in hand finish, confirm them, return from run()."""
        self._stopping.set()

    async def run(self) -> None:
        delay = 1.0
        try:
            while not self._stopping.is_set():
                if len(self._running) >= WINDOW:
                    await self._progress(wait_at_most=1.0)
                    continue
                try:
                    updates = await self._fetch()
                except (TelegramNetworkError, TelegramAPIError) as exc:
                    log.warning(
                        "getUpdates failed (%s); retry in %.0f s", type(exc).__name__, delay
                    )
                    await self._sleep(delay)
                    delay = min(delay * 2, 30.0)
                    continue
                delay = 1.0
                fresh = [u for u in updates if self._seen is None or u.update_id > self._seen]
                for update in fresh:
                    self._seen = update.update_id
                    self._start(update)
                if updates and not fresh:
                    # Telegram repeated only what is still running: wait for some of it to end.
                    await self._progress(wait_at_most=1.0)
                self.offset = self._confirm_point()
            if self._running:
                await asyncio.wait(set(self._running))
            self.offset = self._confirm_point()
            await self._confirm()
        except asyncio.CancelledError:
            # Killed: what runs dies with us, unconfirmed, and Telegram sends it again.
            for task in list(self._running):
                task.cancel()
            raise

    async def handle_batch(self, updates: Sequence[Update]) -> None:
        """Handle these updates (one chat's in order) and return when all are done."""
        tasks = [self._start(update) for update in updates]
        await asyncio.wait(tasks)

    def _start(self, update: Update) -> asyncio.Task[None]:
        key = _chat_key(update)
        task = asyncio.create_task(self._after(self._chat_tail.get(key), update))
        self._running[task] = update.update_id
        self._chat_tail[key] = task
        task.add_done_callback(lambda done: self._finished(done, key))
        return task

    def _finished(self, task: asyncio.Task[None], key: int) -> None:
        self._running.pop(task, None)
        if self._chat_tail.get(key) is task:
            del self._chat_tail[key]

    def _confirm_point(self) -> int | None:
        if self._running:
            return min(self._running.values())
        return self._seen + 1 if self._seen is not None else self.offset

    async def _progress(self, *, wait_at_most: float) -> None:
        if self._running:
            await asyncio.wait(
                set(self._running), timeout=wait_at_most, return_when=asyncio.FIRST_COMPLETED
            )
        else:
            await self._sleep(wait_at_most)

    async def _after(self, previous: asyncio.Task[None] | None, update: Update) -> None:
        if previous is not None:
            await asyncio.wait({previous})
        async with self._slots:
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
            log.warning("could not confirm the last updates; they come again and are skipped")

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
