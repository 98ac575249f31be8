"""What the sending budget counts: which Bot API calls are messages, to which chat, how many,
and the rates Telegram allows a token (https://core.telegram.org/bots/faq, "broadcasting")."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from aiogram.methods import TelegramMethod

from services.config import Settings

# Calls that put a message in a chat or change one. Everything else (getUpdates, getMe, getFile,
# setMyCommands, webhooks, answerCallbackQuery…) is not a message and is not limited here: a
# button's answer must come within seconds or the query expires, and Telegram counts it apart
# from the messages of a chat, so it never queues behind them.
MESSAGE_PREFIXES = ("send", "copyMessage", "forwardMessage", "editMessage", "stopMessageLive")
NOT_MESSAGES = frozenset({"sendChatAction"})
# The whole token's bucket holds this many messages: a short burst for answers arriving together,
# far below Telegram's own (about a second's worth), so that the requests' varying time on the
# wire never makes Telegram see more than it allows.
OVERALL_BURST = 5
# A group takes a short burst too, then one message every 60 / GROUP_RATE_PER_MINUTE seconds.
GROUP_BURST = 3


class Lane(StrEnum):
    """Answers to someone who just wrote go first; deliveries take the rest."""

    answer = "answer"
    delivery = "delivery"


@dataclass(frozen=True, slots=True)
class BudgetLimits:
    """Messages a second for the whole token, for deliveries, per private chat and per group."""

    send_rate: float = 30.0
    delivery_rate: float = 28.0
    chat_rate: float = 1.0
    chat_burst: int = 2
    group_per_minute: float = 20.0

    @classmethod
    def from_settings(cls, settings: Settings) -> BudgetLimits:
        return cls(
            send_rate=settings.send_rate,
            # Deliveries never take the whole token: answers keep the difference.
            delivery_rate=min(settings.delivery_rate, settings.send_rate),
            chat_rate=settings.chat_rate_per_second,
            chat_burst=settings.chat_burst,
            group_per_minute=settings.group_rate_per_minute,
        )


def unpaced(settings: Settings) -> Settings:
    """`settings` for a bot that talks to no Telegram (a benchmark's sink, a fake API): its own
    pace lifted, else the budget, not what is measured, would decide how fast answers go."""
    return settings.model_copy(
        update={
            "send_rate": 1000.0,
            "delivery_rate": 1000.0,
            "chat_rate_per_second": 1000.0,
            "chat_burst": 1000,
            "group_rate_per_minute": 60000.0,
        }
    )


class TokenBucket:
    """`capacity` tokens at most, refilled at `rate` a second; a message takes one or more."""

    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, rate: float, capacity: float, now: float) -> None:
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.stamp = now

    def wait_time(self, now: float, amount: float = 1.0) -> float:
        """Seconds until `amount` tokens are there (a request bigger than the bucket waits for
        a full one)."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        need = min(amount, self.capacity)
        return 0.0 if self.tokens >= need else (need - self.tokens) / self.rate

    def take(self, amount: float = 1.0) -> None:
        self.tokens -= min(amount, self.capacity)

    def is_full(self, now: float) -> bool:
        return self.wait_time(now, self.capacity) == 0.0


@dataclass(frozen=True, slots=True)
class Target:
    """Where a limited call sends: its chat (None for an inline message), and how many messages."""

    chat: int | str | None
    group: bool
    weight: int
    # Telegram's per-chat pace counts new messages; an edit changes one already there (the
    # emulator, modelled on Telegram, limits only new ones). Edits keep their chat's order.
    new: bool = True


def target_of(method: TelegramMethod[Any]) -> Target | None:
    """The chat and message count of a call the budget limits; None for any other call."""
    name = method.__api_method__
    if name in NOT_MESSAGES or not name.startswith(MESSAGE_PREFIXES):
        return None
    # An album or a batch copy is as many messages as it holds.
    items = getattr(method, "media", None) or getattr(method, "message_ids", None)
    weight = len(items) if isinstance(items, list) else 1
    new = not name.startswith(("editMessage", "stopMessageLive"))
    chat = getattr(method, "chat_id", None)
    if isinstance(chat, str) and chat.lstrip("-").isdigit():
        chat = int(chat)
    if not isinstance(chat, int | str):
        return Target(None, group=False, weight=weight, new=new)
    # Users' (private chats') ids are positive; groups, supergroups and channels are negative
    # or named by @username.
    return Target(chat, group=isinstance(chat, str) or chat < 0, weight=weight, new=new)
