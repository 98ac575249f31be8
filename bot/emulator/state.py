"""The emulator's world: users, groups, bots with their update queues, chats and counters.

One ``EmulatorState`` serves any number of bots (the bot id is the digits of its token). Users
and groups are shared; each bot keeps its own view of every chat, as on Telegram.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.emulator.errors import JsonDict, UserSideError, chat_not_found
from bot.emulator.files import FileStore
from bot.emulator.limits import Clock, FaultInjector, RateLimiter, counters_json
from bot.emulator.params import ChatRef
from bot.emulator.records import ChatLog, GroupRecord, StoredMessage, UserRecord
from bot.emulator.settings import EmulatorSettings
from bot.emulator.updates import UpdateQueue

if TYPE_CHECKING:
    from bot.emulator.webhook import WebhookPusher

# Supergroup ids on Telegram look like -100xxxxxxxxxx.
_SUPERGROUP_BASE = -1001000000000


@dataclass(slots=True)
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    last_error_date: int | None = None
    last_error_message: str | None = None


class BotState:
    """Everything one bot has on the emulator."""

    def __init__(self, bot_id: int, user: JsonDict) -> None:
        self.id = bot_id
        self.user = user
        self.updates = UpdateQueue()
        self.webhook: WebhookConfig | None = None
        self.pusher: WebhookPusher | None = None
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.chats: dict[int, ChatLog] = {}
        self.blocked_by: set[int] = set()
        # callback_query_id -> the bot's answer, None while unanswered.
        self.callback_answers: dict[str, JsonDict | None] = {}
        self.message_counts: Counter[int] = Counter()
        self.method_calls: Counter[str] = Counter()

    def chat_log(self, chat_id: int) -> ChatLog:
        log = self.chats.get(chat_id)
        if log is None:
            log = self.chats[chat_id] = ChatLog()
        return log


class EmulatorState:
    def __init__(self, settings: EmulatorSettings | None = None, *, clock: Clock = time.monotonic):
        self.settings = settings or EmulatorSettings()
        self.users: dict[int, UserRecord] = {}
        self.groups: dict[int, GroupRecord] = {}
        self.bots: dict[int, BotState] = {}
        self.files = FileStore()
        self.limiter = RateLimiter(self.settings.limits, clock)
        self.faults = FaultInjector(self.settings.faults)
        self._update_ids = itertools.count(1)
        self._user_ids = itertools.count(10001)
        self._group_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    def bot(self, bot_id: int | None = None) -> BotState:
        bot_id = self.settings.default_bot_id if bot_id is None else bot_id
        bot = self.bots.get(bot_id)
        if bot is None:
            username = self.settings.bot_username or f"emulated_{bot_id}_bot"
            user = {
                "id": bot_id,
                "is_bot": True,
                "first_name": self.settings.bot_first_name,
                "username": username,
            }
            bot = self.bots[bot_id] = BotState(bot_id, user)
        return bot

    def default_token(self) -> str:
        return f"{self.settings.default_bot_id}:emulator"

    def add_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        user_id: int | None = None,
    ) -> UserRecord:
        user_id = next(self._user_ids) if user_id is None else user_id
        if user_id <= 0 or user_id in self.users:
            raise UserSideError(f"user id {user_id} is taken or invalid")
        user = UserRecord(user_id, first_name, last_name, username, language_code)
        self.users[user_id] = user
        return user

    def add_group(
        self,
        title: str,
        member_ids: list[int],
        *,
        group_type: str = "supergroup",
        username: str | None = None,
    ) -> GroupRecord:
        if group_type not in ("group", "supergroup"):
            raise UserSideError("a group chat is of type group or supergroup")
        for member_id in member_ids:
            self.user(member_id)
        number = next(self._group_ids)
        group_id = _SUPERGROUP_BASE - number if group_type == "supergroup" else -number
        group = GroupRecord(group_id, title, group_type, username, list(member_ids))
        self.groups[group_id] = group
        return group

    def user(self, user_id: int) -> UserRecord:
        user = self.users.get(user_id)
        if user is None:
            raise UserSideError(f"no user with id {user_id}")
        return user

    def user_json(self, user_id: int) -> JsonDict | None:
        user = self.users.get(user_id)
        return None if user is None else user.to_user()

    def find_chat(self, ref: ChatRef) -> JsonDict | None:
        if isinstance(ref, str):
            wanted = ref.removeprefix("@").lower()
            chats: list[UserRecord | GroupRecord] = [*self.users.values(), *self.groups.values()]
            named = [c for c in chats if c.username and c.username.lower() == wanted]
            return named[0].to_chat() if named else None
        known = self.users.get(ref) or self.groups.get(ref)
        return None if known is None else known.to_chat()

    def chat(self, ref: ChatRef) -> JsonDict:
        chat = self.find_chat(ref)
        if chat is None:
            raise chat_not_found()
        return chat

    def emit(self, bot: BotState, kind: str, payload: JsonDict) -> JsonDict | None:
        """Queue an update for ``bot``; None when its allowed_updates filter it out."""
        if not bot.updates.wants(kind):
            return None
        update = {"update_id": next(self._update_ids), kind: payload}
        bot.updates.push(update, kind)
        return update

    def record(
        self,
        bot: BotState,
        chat: JsonDict,
        content: JsonDict,
        *,
        sender: JsonDict,
        keyboard: JsonDict | None = None,
    ) -> StoredMessage:
        """Store a new message in ``bot``'s view of ``chat``, giving it the next id there."""
        log = bot.chat_log(int(chat["id"]))
        message = {
            "message_id": log.new_message_id(),
            "from": sender,
            "chat": chat,
            "date": int(time.time()),
            **content,
        }
        from_bot = sender["id"] == bot.id
        stored = StoredMessage(message, from_bot, keyboard)
        log.add(stored)
        if from_bot:
            bot.message_counts[int(chat["id"])] += 1
        return stored

    def new_callback_id(self, bot: BotState) -> str:
        callback_id = f"{bot.id}{next(self._callback_ids):08d}"
        bot.callback_answers[callback_id] = None
        return callback_id

    def counters(self, bot: BotState) -> JsonDict:
        return {
            "messages_per_chat": {str(k): v for k, v in sorted(bot.message_counts.items())},
            "messages_total": sum(bot.message_counts.values()),
            "method_calls": dict(sorted(bot.method_calls.items())),
            "faults_injected": counters_json(self.faults.injected),
            # [unix time, retry_after] of each injected 429 (the latest PAUSES_KEPT).
            "pauses_injected": [[at, seconds] for at, seconds in self.faults.pauses],
        }

    async def aclose(self) -> None:
        """Stop webhook pushers; the state stays readable afterwards."""
        for bot in self.bots.values():
            if bot.pusher is not None:
                await bot.pusher.stop()
                bot.pusher = None
