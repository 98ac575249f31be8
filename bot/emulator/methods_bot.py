"""Bot API methods about the bot itself: identity, chats, command lists, close and logOut."""

from __future__ import annotations

import json
import re
from typing import Any

from bot.emulator.call import Call, Handler
from bot.emulator.errors import JsonDict, bad_request

MAX_COMMANDS = 100
_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}\Z")
_LANGUAGE_RE = re.compile(r"[a-z]{2}\Z")
# BotCommandScope types and the fields that identify each.
_SCOPE_FIELDS: dict[str, tuple[str, ...]] = {
    "default": (),
    "all_private_chats": (),
    "all_group_chats": (),
    "all_chat_administrators": (),
    "chat": ("chat_id",),
    "chat_administrators": ("chat_id",),
    "chat_member": ("chat_id", "user_id"),
}


async def get_me(call: Call) -> JsonDict:
    return call.bot.user | {
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def get_chat(call: Call) -> JsonDict:
    # ChatFullInfo: the required fields beyond Chat get Telegram's values for a plain chat.
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    return call.chat() | {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict.fromkeys((*gifts, "gifts_from_channels"), False),
    }


async def always_true(call: Call) -> bool:
    return True


def _commands_key(call: Call) -> tuple[str, str]:
    """Commands are stored per (scope, language), exactly as sent; there is no fallback."""
    scope: Any = call.params.json("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_FIELDS:
        raise bad_request("can't parse BotCommandScope JSON object")
    identity = {"type": scope["type"]}
    for field in _SCOPE_FIELDS[scope["type"]]:
        if field not in scope:
            raise bad_request(f"{field} is empty")
        identity[field] = scope[field]
    if "chat_id" in identity:
        identity["chat_id"] = call.state.chat(identity["chat_id"])["id"]
    language = call.params.opt_string("language_code") or ""
    if language and not _LANGUAGE_RE.match(language):
        raise bad_request("invalid language code specified")
    return json.dumps(identity, sort_keys=True), language


def _valid_commands(raw: Any) -> list[JsonDict]:
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise bad_request("can't parse commands JSON object")
    if len(raw) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    commands = []
    for item in raw:
        command, description = item.get("command"), item.get("description")
        if not isinstance(command, str) or not _COMMAND_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        commands.append({"command": command, "description": description})
    return commands


async def set_my_commands(call: Call) -> bool:
    commands = _valid_commands(call.params.json("commands"))
    key = _commands_key(call)
    if commands:
        call.bot.commands[key] = commands
    else:
        call.bot.commands.pop(key, None)
    return True


async def get_my_commands(call: Call) -> list[JsonDict]:
    return call.bot.commands.get(_commands_key(call), [])


async def delete_my_commands(call: Call) -> bool:
    call.bot.commands.pop(_commands_key(call), None)
    return True


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "getChat": get_chat,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "close": always_true,
    "logOut": always_true,
}
