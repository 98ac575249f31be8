"""Updates of `bench activities`, and the null Bot API that checks what they were answered."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from bot.benchmarks.activities_seed import Representative
from bot.benchmarks.sink import SinkSession

_ids = itertools.count(1)


class CheckingSink(SinkSession):
    """The null Bot API, telling lists and pages from error answers, so that a fast error is
    never taken for a fast page."""

    def __init__(self) -> None:
        super().__init__()
        self.lists = 0
        self.edits = 0
        self.errors = 0

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - the interface aiogram defines
    ) -> TelegramType:
        if isinstance(method, SendMessage):
            # Every list begins with its points in bold; error answers never do.
            if method.text.startswith("<b>"):
                self.lists += 1
            else:
                self.errors += 1
        elif isinstance(method, EditMessageText):
            self.edits += 1
        elif isinstance(method, AnswerCallbackQuery) and method.show_alert:
            self.errors += 1
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
