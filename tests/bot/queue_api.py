"""A fake getUpdates queue for polling tests, and a wait for a condition."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aiogram import Bot
from aiogram.methods import GetUpdates, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Update

from bot.app import App
from tests.fakes import FakeSession


class QueueSession(FakeSession):
    """getUpdates serves a queue like Telegram: everything from `offset` on, until confirmed.
    Messages to `hold_chat` wait for `release`."""

    def __init__(self) -> None:
        super().__init__()
        self.queue: list[Update] = []
        self.offsets: list[int | None] = []
        self.hold_chat: int | None = None
        self.release = asyncio.Event()
        self.held = asyncio.Event()

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if isinstance(method, GetUpdates):
            self.offsets.append(method.offset)
            if method.offset is not None:
                self.queue = [u for u in self.queue if u.update_id >= method.offset]
            if not self.queue:
                await asyncio.sleep(0.01)
            return list(self.queue[: method.limit or 100])  # type: ignore[return-value]
        if isinstance(method, SendMessage) and method.chat_id == self.hold_chat:
            self.held.set()
            await self.release.wait()
        return await super().make_request(bot, method, timeout)

    def queued(self) -> list[int]:
        return [u.update_id for u in self.queue]


Queued = tuple[App, QueueSession]


async def eventually(condition: Callable[[], bool], limit: float = 10.0) -> None:
    async with asyncio.timeout(limit):
        while not condition():
            await asyncio.sleep(0.01)
