"""Updates of `bench activities`, and the null Bot API that checks what they were answered."""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from bot.benchmarks.activities_seed import Representative
from bot.benchmarks.sink import SinkSession

_ids = itertools.count(1)


class CheckingSink(SinkSession):
    """The null Bot API, keeping what each chat was last answered, so that every timed update
    is checked to have got the answer it should (a fast error is never taken for a fast page)."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[int, list[TelegramMethod[Any]]] = defaultdict(list)
        # Answers to button presses name no chat: the bench has one update in hand at a time.
        self._chat: int | None = None

    def begin(self, chat_id: int) -> None:
        self._chat = chat_id
        self.answers[chat_id].clear()

    def sent(self, chat_id: int, start: str) -> SendMessage | None:
        """The last message to the chat whose text starts with ``start``, if no alert came."""
        answers = self.answers[chat_id]
        if any(isinstance(m, AnswerCallbackQuery) and m.show_alert for m in answers):
            return None
        found = [m for m in answers if isinstance(m, SendMessage) and m.text.startswith(start)]
        return found[-1] if found else None

    def edited(self, chat_id: int) -> bool:
        answers = self.answers[chat_id]
        alerted = any(isinstance(m, AnswerCallbackQuery) and m.show_alert for m in answers)
        return not alerted and any(isinstance(m, EditMessageText) for m in answers)

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the interface aiogram defines
    ) -> TelegramType:
        chat_id = getattr(method, "chat_id", None)
        if isinstance(method, AnswerCallbackQuery):
            chat_id = self._chat
        if isinstance(chat_id, int):
            self.answers[chat_id].append(method)
        return await super().make_request(bot, method, timeout)


def _user(rep: Representative) -> User:
    return User(id=rep.telegram_id, is_bot=False, first_name="代表", language_code="zh")


def message_update(rep: Representative, text: str) -> Update:
    number = next(_ids)
    message = Message(
        message_id=number,
        date=datetime.now(UTC),
        chat=Chat(id=rep.telegram_id, type="private"),
        from_user=_user(rep),
        text=text,
    )
    return Update(update_id=number, message=message)


def press_update(rep: Representative, data: str) -> Update:
    number = next(_ids)
    message = Message(
        message_id=1, date=datetime.now(UTC), chat=Chat(id=rep.telegram_id, type="private")
    )
    query = CallbackQuery(
        id=str(number), from_user=_user(rep), chat_instance="bench", data=data, message=message
    )
    return Update(update_id=number, callback_query=query)
