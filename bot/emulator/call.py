"""One Bot API call in progress, and what the sending methods share: chats, replies, edits."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from bot.emulator.errors import NOT_MODIFIED, JsonDict, bad_request, blocked
from bot.emulator.params import Params
from bot.emulator.records import StoredMessage
from bot.emulator.state import BotState, EmulatorState
from bot.emulator.webhook import ReplyHandler


@dataclass(slots=True)
class Call:
    state: EmulatorState
    bot: BotState
    params: Params
    # Lets setWebhook hand the pusher a way to run calls that come back in webhook replies.
    on_webhook_reply: ReplyHandler

    def chat(self, name: str = "chat_id") -> JsonDict:
        return self.state.chat(self.params.chat_id(name))

    def target_chat(self) -> JsonDict:
        """The chat a bot writes to: it must exist and must not have blocked the bot."""
        chat = self.chat()
        if chat["type"] == "private" and chat["id"] in self.bot.blocked_by:
            raise blocked()
        return chat


Handler = Callable[[Call], Awaitable[Any]]


def _quoted_message(call: Call, chat: JsonDict) -> JsonDict | None:
    params = call.params
    reply = params.json("reply_parameters")
    allow_missing = params.flag("allow_sending_without_reply")
    if isinstance(reply, dict):
        message_id = reply.get("message_id")
        allow_missing = bool(reply.get("allow_sending_without_reply", allow_missing))
    else:
        message_id = params.opt_integer("reply_to_message_id")
    if message_id is None:
        return None
    stored = call.bot.chat_log(int(chat["id"])).find(int(message_id))
    if stored is None:
        if allow_missing:
            return None
        raise bad_request("message to be replied not found")
    # Telegram nests one level only: a quoted message carries no quote of its own.
    return {k: v for k, v in stored.message.items() if k != "reply_to_message"}


def deliver(
    call: Call, chat: JsonDict, content: JsonDict, markup: JsonDict | None
) -> StoredMessage:
    """Send one bot message whose content is already validated; flood limits apply here."""
    quoted = _quoted_message(call, chat)
    call.state.limiter.check(call.bot.id, int(chat["id"]), private=chat["type"] == "private")
    body = dict(content)
    if quoted is not None:
        body["reply_to_message"] = quoted
    if call.params.flag("protect_content"):
        body["has_protected_content"] = True
    # Only inline keyboards belong to the Message object; reply keyboards live client-side.
    if markup is not None and "inline_keyboard" in markup:
        body["reply_markup"] = markup
    return call.state.record(call.bot, chat, body, sender=call.bot.user, keyboard=markup)


def editable(call: Call) -> StoredMessage:
    """The bot message an edit method targets, or the 400 Telegram answers."""
    if call.params.has("inline_message_id"):
        # Inline mode is not emulated, so no inline message can exist to be edited.
        raise bad_request("message to edit not found")
    chat = call.target_chat()
    stored = call.bot.chat_log(int(chat["id"])).find(call.params.integer("message_id"))
    if stored is None:
        raise bad_request("message to edit not found")
    if not stored.from_bot:
        raise bad_request("message can't be edited")
    return stored


def inline_markup(markup: JsonDict | None) -> JsonDict | None:
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


def apply_edit(stored: StoredMessage, changes: dict[str, Any]) -> JsonDict:
    """Apply ``changes`` (an empty value removes a field) or answer "not modified"."""
    edited = {k: v for k, v in stored.message.items() if k != "edit_date"}
    for key, value in changes.items():
        if value in (None, [], ""):
            edited.pop(key, None)
        else:
            edited[key] = value
    unchanged = {k: v for k, v in stored.message.items() if k != "edit_date"}
    if edited == unchanged:
        raise bad_request(NOT_MODIFIED)
    edited["edit_date"] = int(time.time())
    stored.message = edited
    stored.edits += 1
    if "reply_markup" in changes:
        stored.keyboard = changes["reply_markup"]
    return edited
