"""A fake Bot API session: records every request and answers like Telegram would."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import AsyncGenerator
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageReplyMarkup,
    EditMessageText,
    GetFile,
    GetMe,
    SendDocument,
    SendMessage,
    SendPhoto,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Document, File, Message, PhotoSize, User

BOT_USER = User(id=123456, is_bot=True, first_name="代表联络助手", username="liaison_test_bot")


class FakeSession(BaseSession):
    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.blocked: set[int] = set()
        self.answered: set[str] = set()
        # Files users sent, by file_id, for getFile and the download that follows.
        self.files: dict[str, bytes] = {}
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(1))

    async def close(self) -> None:
        return None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.requests.append(method)
        if isinstance(method, AnswerCallbackQuery):
            # Telegram takes one answer per button press.
            if method.callback_query_id in self.answered:
                raise TelegramBadRequest(
                    method, "Bad Request: query is too old or query ID is invalid"
                )
            self.answered.add(method.callback_query_id)
        chat_id = getattr(method, "chat_id", None)
        if isinstance(chat_id, int) and chat_id in self.blocked:
            raise TelegramForbiddenError(method, "Forbidden: bot was blocked by the user")
        answer: TelegramType = self._answer(method)
        return answer

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        yield self.files[url.rsplit("/", 1)[-1]]

    def _answer(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, GetMe):
            return BOT_USER
        if isinstance(method, (SendMessage, SendDocument, SendPhoto)):
            return self._message(method)
        if isinstance(method, (EditMessageText, EditMessageReplyMarkup)):
            return self._message(method, message_id=method.message_id)
        if isinstance(method, AnswerCallbackQuery):
            return True
        if isinstance(method, GetFile):
            data = self.files[method.file_id]
            return File(
                file_id=method.file_id,
                file_unique_id=method.file_id,
                file_size=len(data),
                file_path=f"documents/{method.file_id}",
            )
        returning = method.__returning__
        if returning is bool:
            return True
        if getattr(returning, "__origin__", None) is list:
            return []
        raise AssertionError(f"the fake Bot API has no answer for {type(method).__name__}")

    def _message(self, method: Any, message_id: int | None = None) -> Message:
        chat_id = int(method.chat_id)
        document, photo = None, None
        if isinstance(method, SendDocument):
            name = getattr(method.document, "filename", None) or "file"
            document = Document(file_id=f"doc-{chat_id}", file_unique_id="u", file_name=name)
        if isinstance(method, SendPhoto):
            photo = [PhotoSize(file_id=f"photo-{chat_id}", file_unique_id="p", width=1, height=1)]
        return Message(
            message_id=message_id or next(self._message_ids[chat_id]),
            date=datetime.now(UTC),
            chat=Chat(id=chat_id, type="private"),
            from_user=BOT_USER,
            text=getattr(method, "text", None),
            caption=getattr(method, "caption", None),
            document=document,
            photo=photo,
            reply_markup=getattr(method, "reply_markup", None),
        )

    # What a user would see -------------------------------------------------------------

    def sent(self, chat_id: int) -> list[TelegramMethod[Any]]:
        return [r for r in self.requests if getattr(r, "chat_id", None) == chat_id]

    def texts(self, chat_id: int) -> list[str]:
        return [
            str(r.text) for r in self.sent(chat_id) if isinstance(r, (SendMessage, EditMessageText))
        ]

    def last_text(self, chat_id: int) -> str:
        texts = self.texts(chat_id)
        assert texts, f"nothing was sent to chat {chat_id}"
        return texts[-1]

    def alerts(self) -> list[str]:
        """Texts of the button answers Telegram accepted (a second answer to one press is not)."""
        accepted: dict[str, str] = {}
        for r in self.requests:
            if isinstance(r, AnswerCallbackQuery) and r.callback_query_id not in accepted:
                accepted[r.callback_query_id] = r.text or ""
        return [text for text in accepted.values() if text]

    def clear(self) -> None:
        self.requests.clear()
