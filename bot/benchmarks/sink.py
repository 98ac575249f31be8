"""A Bot API session that answers in memory, to measure the bot without the network."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import GetMe, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Message, User

SINK_BOT = User(id=123456, is_bot=True, first_name="bench", username="bench_bot")


class SinkSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.messages_per_chat: Counter[int] = Counter()
        self._ids = itertools.count(1)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        result: Any = True
        if isinstance(method, GetMe):
            result = SINK_BOT
        elif isinstance(method, SendMessage):
            chat_id = int(method.chat_id)
            self.messages_per_chat[chat_id] += 1
            result = Message(
                message_id=next(self._ids),
                date=datetime.now(UTC),
                chat=Chat(id=chat_id, type="private"),
                text=method.text,
            )
        answer: TelegramType = result
        return answer

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - the interface aiogram defines
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        return None
