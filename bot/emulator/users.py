"""The users' side of every chat, driven in-process: people who write, press and block."""

from __future__ import annotations

import asyncio
import re
import time

from bot.emulator.content import find_button
from bot.emulator.entities import utf16_len
from bot.emulator.errors import JsonDict, UserSideError
from bot.emulator.params import Upload
from bot.emulator.records import UserRecord
from bot.emulator.state import BotState, EmulatorState

# Telegram marks commands wherever a word starts with "/", optionally addressed "@bot".
_COMMAND_RE = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?(?![\w@/])")


def command_entities(text: str) -> list[JsonDict]:
    return [
        {
            "offset": utf16_len(text[: m.start()]),
            "length": utf16_len(m.group()),
            "type": "bot_command",
        }
        for m in _COMMAND_RE.finditer(text)
    ]


class UserSide:
    """Acts for users towards one bot (the default bot unless ``bot_id`` is given)."""

    def __init__(self, state: EmulatorState, bot_id: int | None = None) -> None:
        self.state = state
        self.bot_id = bot_id

    @property
    def bot(self) -> BotState:
        return self.state.bot(self.bot_id)

    def create_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        user_id: int | None = None,
    ) -> JsonDict:
        user = self.state.add_user(
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
            user_id=user_id,
        )
        return user.to_user()

    def create_group(
        self,
        title: str,
        member_ids: list[int],
        *,
        group_type: str = "supergroup",
        username: str | None = None,
    ) -> JsonDict:
        """A group with the bot in it; the first member adding the bot sends my_chat_member."""
        group = self.state.add_group(title, member_ids, group_type=group_type, username=username)
        if member_ids:
            self._member_update(self.state.user(member_ids[0]), group.to_chat(), "left", "member")
        return group.to_chat()

    def _member_update(self, user: UserRecord, chat: JsonDict, old: str, new: str) -> None:
        update = {
            "chat": chat,
            "from": user.to_user(),
            "date": int(time.time()),
            "old_chat_member": self._bot_member(old),
            "new_chat_member": self._bot_member(new),
        }
        self.state.emit(self.bot, "my_chat_member", update)

    def _bot_member(self, status: str) -> JsonDict:
        member: JsonDict = {"status": status, "user": self.bot.user}
        if status == "kicked":
            # ChatMemberBanned requires until_date; 0 means "forever", as for a block.
            member["until_date"] = 0
        return member

    def _chat_of(self, user: UserRecord, chat_id: int | None) -> JsonDict:
        if chat_id is None or chat_id == user.id:
            if user.id in self.bot.blocked_by:
                raise UserSideError(f"user {user.id} has blocked the bot; unblock first")
            return user.to_chat()
        group = self.state.groups.get(chat_id)
        if group is None or user.id not in group.member_ids:
            raise UserSideError(f"user {user.id} is not in chat {chat_id}")
        return group.to_chat()

    def _send(self, user_id: int, content: JsonDict, chat_id: int | None) -> JsonDict:
        user = self.state.user(user_id)
        chat = self._chat_of(user, chat_id)
        stored = self.state.record(self.bot, chat, content, sender=user.to_user())
        self.state.emit(self.bot, "message", stored.message)
        return stored.message

    def send_message(
        self, user_id: int, text: str, *, chat_id: int | None = None, reply_to: int | None = None
    ) -> JsonDict:
        if not text.strip():
            raise UserSideError("a message needs text")
        content: JsonDict = {"text": text}
        if entities := command_entities(text):
            content["entities"] = entities
        if reply_to is not None:
            log = self.bot.chat_log(chat_id if chat_id is not None else user_id)
            quoted = log.find(reply_to)
            if quoted is None:
                raise UserSideError(f"no message {reply_to} to reply to")
            content["reply_to_message"] = {
                k: v for k, v in quoted.message.items() if k != "reply_to_message"
            }
        return self._send(user_id, content, chat_id)

    def send_command(
        self, user_id: int, command: str, args: str = "", *, chat_id: int | None = None
    ) -> JsonDict:
        text = "/" + command.removeprefix("/")
        if chat_id is not None and chat_id != user_id:
            # In groups clients address the command to the bot, as aiogram's filters expect.
            text += f"@{self.bot.user['username']}"
        return self.send_message(user_id, f"{text} {args}".strip(), chat_id=chat_id)

    def send_photo(
        self, user_id: int, data: bytes, *, caption: str | None = None, chat_id: int | None = None
    ) -> JsonDict:
        sizes = self.state.files.add_photo(data)
        content: JsonDict = {"photo": [size.to_photo_size() for size in sizes]}
        if caption:
            content["caption"] = caption
        return self._send(user_id, content, chat_id)

    def send_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> JsonDict:
        record = self.state.files.add_document(Upload(file_name, data, mime_type or ""))
        content: JsonDict = {"document": record.to_document()}
        if caption:
            content["caption"] = caption
        return self._send(user_id, content, chat_id)

    def send_location(
        self, user_id: int, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> JsonDict:
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return self._send(user_id, content, chat_id)

    def press_button(
        self,
        user_id: int,
        message_id: int,
        *,
        data: str | None = None,
        text: str | None = None,
        chat_id: int | None = None,
    ) -> str:
        """Press an inline button found by callback data or label; returns the query id."""
        user = self.state.user(user_id)
        chat = self._chat_of(user, chat_id)
        stored = self.bot.chat_log(int(chat["id"])).find(message_id)
        if stored is None:
            raise UserSideError(f"no message {message_id} in chat {chat['id']}")
        button = find_button(stored.message.get("reply_markup"), data=data, text=text)
        if button is None:
            raise UserSideError(f"message {message_id} has no such inline button")
        callback_id = self.state.new_callback_id(self.bot)
        query = {
            "id": callback_id,
            "from": user.to_user(),
            "message": stored.message,
            "chat_instance": str(abs(hash((self.bot.id, chat["id"])))),
            "data": button["callback_data"],
        }
        self.state.emit(self.bot, "callback_query", query)
        return callback_id

    def block(self, user_id: int) -> None:
        user = self.state.user(user_id)
        if user_id not in self.bot.blocked_by:
            self.bot.blocked_by.add(user_id)
            self._member_update(user, user.to_chat(), "member", "kicked")

    def unblock(self, user_id: int) -> None:
        user = self.state.user(user_id)
        if user_id in self.bot.blocked_by:
            self.bot.blocked_by.discard(user_id)
            self._member_update(user, user.to_chat(), "kicked", "member")

    def messages(self, chat_id: int, *, include_user_messages: bool = False) -> list[JsonDict]:
        """What the chat shows, in order: edits applied, deletions marked, keyboards included."""
        log = self.bot.chat_log(chat_id)
        return [
            stored.view()
            for stored in log.messages.values()
            if stored.from_bot or include_user_messages
        ]

    async def next_message(self, chat_id: int, wait_seconds: float = 5.0) -> JsonDict:
        """The oldest bot message to ``chat_id`` not yet returned here; TimeoutError if none."""
        async with asyncio.timeout(wait_seconds):
            stored = await self.bot.chat_log(chat_id).next_from_bot()
        return stored.view()

    def callback_answer(self, callback_query_id: str) -> JsonDict | None:
        """The bot's answerCallbackQuery for a press, None while it has not answered."""
        answers = self.bot.callback_answers
        if callback_query_id not in answers:
            raise UserSideError(f"no callback query {callback_query_id}")
        return answers[callback_query_id]
