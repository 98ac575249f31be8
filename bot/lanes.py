"""Updates handled one chat at a time, different chats side by side.

Each update runs in a task of its own that first waits for the previous update of its chat, so a
chat's updates are handled in the order Telegram numbered them, while a slow one (a big import, a
long flood wait) holds up only its own chat. A semaphore bounds how many are handled at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.methods import TelegramMethod
from aiogram.types import Update

log = logging.getLogger(__name__)


class Lanes:
    def __init__(
        self,
        bot: Bot,
        dispatcher: Dispatcher,
        *,
        concurrency: int = 16,
        on_handled: Callable[[Update, float], None] | None = None,
    ) -> None:
        self._bot = bot
        self._dispatcher = dispatcher
        self._slots = asyncio.Semaphore(concurrency)
        self._on_handled = on_handled
        self._tails: dict[int, asyncio.Future[Any]] = {}
        self.running: set[asyncio.Task[bool]] = set()
        # Updates whose failure escaped the error handler (a bug, or the database down).
        self.escaped = 0

    def __len__(self) -> int:
        return len(self.running)

    def start(self, update: Update) -> asyncio.Task[bool]:
        """Handle `update` after the ones of its chat started before; the task's result says
        whether it was handled (True) or failed outside the error handler (False)."""
        key = chat_key(update)
        task = asyncio.create_task(self._after(self._tails.get(key), update))
        self.running.add(task)
        self._tails[key] = task
        task.add_done_callback(lambda done: self._finished(done, key))
        return task

    def after(self, key: int, task: asyncio.Future[Any]) -> None:
        """The next update of chat `key` waits for `task` first."""
        self._tails[key] = task
        task.add_done_callback(lambda done: self._untail(done, key))

    async def wait_any(self, seconds: float) -> None:
        """Return when some update finishes, or after `seconds`."""
        if self.running:
            await asyncio.wait(self.running, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
        else:
            await asyncio.sleep(seconds)

    async def wait_all(self, seconds: float | None) -> None:
        """Return when every update has finished, or after `seconds`."""
        if self.running:
            await asyncio.wait(set(self.running), timeout=seconds)

    def cancel(self) -> None:
        for task in self.running:
            task.cancel()

    def _finished(self, task: asyncio.Task[bool], key: int) -> None:
        self.running.discard(task)
        self._untail(task, key)

    def _untail(self, task: asyncio.Future[Any], key: int) -> None:
        if self._tails.get(key) is task:
            del self._tails[key]

    async def _after(self, previous: asyncio.Future[Any] | None, update: Update) -> bool:
        if previous is not None:
            await asyncio.wait({previous})
        async with self._slots:
            return await self._handle(update)

    async def _handle(self, update: Update) -> bool:
        started = time.perf_counter()
        handled = True
        try:
            response = await self._dispatcher.feed_update(self._bot, update)
            if isinstance(response, TelegramMethod):
                await self._bot(response)
        except Exception:
            # The error handler answers users; this catches what escaped it, so polling goes on.
            self.escaped += 1
            handled = False
            log.exception("update %s failed outside the error handler", update.update_id)
        if self._on_handled is not None:
            self._on_handled(update, time.perf_counter() - started)
        return handled


def chat_key(update: Update) -> int:
    try:
        event = update.event
    except Exception:
        return 0
    user = getattr(event, "from_user", None)
    return int(user.id) if user is not None else 0
