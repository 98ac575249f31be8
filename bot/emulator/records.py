"""The emulator's plain records: users, groups, stored messages and per-chat logs."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass, field

from bot.emulator.errors import JsonDict


def _present(**fields: object) -> JsonDict:
    return {key: value for key, value in fields.items() if value is not None}


@dataclass(slots=True)
class UserRecord:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    def to_user(self) -> JsonDict:
        return {
            "id": self.id,
            "is_bot": False,
            **_present(
                first_name=self.first_name,
                last_name=self.last_name,
                username=self.username,
                language_code=self.language_code,
            ),
        }

    def to_chat(self) -> JsonDict:
        return {
            "id": self.id,
            "type": "private",
            **_present(
                first_name=self.first_name, last_name=self.last_name, username=self.username
            ),
        }


@dataclass(slots=True)
class GroupRecord:
    id: int
    title: str
    type: str = "supergroup"
    username: str | None = None
    member_ids: list[int] = field(default_factory=list)

    def to_chat(self) -> JsonDict:
        return {
            "id": self.id,
            "type": self.type,
            **_present(title=self.title, username=self.username),
        }


@dataclass(slots=True)
class StoredMessage:
    """A message as it stands now, edits applied, with what the user-side view needs."""

    message: JsonDict
    from_bot: bool
    # Reply keyboards never appear in a Message object, yet the user sees them.
    keyboard: JsonDict | None = None
    deleted: bool = False
    edits: int = 0

    @property
    def message_id(self) -> int:
        return int(self.message["message_id"])

    def view(self) -> JsonDict:
        return {
            "message_id": self.message_id,
            "from_bot": self.from_bot,
            "deleted": self.deleted,
            "edited": self.edits > 0,
            "text": self.message.get("text", self.message.get("caption")),
            "keyboard": self.keyboard,
            "message": self.message,
        }


class ChatLog:
    """One bot's view of one chat: messages in order and a mailbox of unread bot messages.

    The mailbox lets a test wait for "the next reply" without racing a bot that answered
    before the test started waiting.
    """

    def __init__(self) -> None:
        self.messages: dict[int, StoredMessage] = {}
        self._last_id = 0
        self._unread: deque[int] = deque()
        self._changed = asyncio.Event()

    def new_message_id(self) -> int:
        self._last_id += 1
        return self._last_id

    def add(self, stored: StoredMessage) -> None:
        self.messages[stored.message_id] = stored
        if stored.from_bot:
            self._unread.append(stored.message_id)
        self.touch()

    def touch(self) -> None:
        # A fresh event per change lets any number of waiters wake without clear() races.
        self._changed.set()
        self._changed = asyncio.Event()

    def find(self, message_id: int) -> StoredMessage | None:
        stored = self.messages.get(message_id)
        return None if stored is None or stored.deleted else stored

    async def next_from_bot(self) -> StoredMessage:
        """The oldest bot message not yet returned here, waiting for one if need be."""
        while not self._unread:
            await self._changed.wait()
        return self.messages[self._unread.popleft()]
