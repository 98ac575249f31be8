"""getMe, getChat, command lists per scope and language, close and logOut."""

from __future__ import annotations

from bot.emulator import Emulator
from tests.emulator.helpers import BotApi

COMMANDS = [{"command": "start", "description": "开始"}, {"command": "help", "description": "帮助"}]


async def test_get_me_and_get_chat(api: BotApi, emulator: Emulator, emulator_user: int) -> None:
    me = await api.ok("getMe")
    assert (me["id"], me["is_bot"], me["username"]) == (100000001, True, "emulated_100000001_bot")
    chat = await api.ok("getChat", chat_id=emulator_user)
    assert (chat["id"], chat["type"], chat["first_name"]) == (emulator_user, "private", "Alice")
    assert chat["max_reaction_count"] == 11
    group = emulator.users.create_group("联络群", [emulator_user], username="liaison")
    by_name = await api.ok("getChat", chat_id="@liaison")
    assert (by_name["id"], by_name["type"], by_name["title"]) == (
        group["id"],
        "supergroup",
        "联络群",
    )
    assert group["id"] < -1000000000000
    _, missing, _ = await api.error("getChat", chat_id="@nobody")
    assert missing == "Bad Request: chat not found"


async def test_commands_are_kept_per_scope_and_language(api: BotApi, emulator_user: int) -> None:
    assert await api.ok("setMyCommands", commands=COMMANDS) is True
    private = {"type": "all_private_chats"}
    await api.ok("setMyCommands", commands=COMMANDS[:1], scope=private, language_code="en")
    assert await api.ok("getMyCommands") == COMMANDS
    assert await api.ok("getMyCommands", scope=private, language_code="en") == COMMANDS[:1]
    # No fallback between scopes or languages: each pair is its own list.
    assert await api.ok("getMyCommands", scope=private) == []
    assert await api.ok("getMyCommands", language_code="en") == []
    one_chat = {"type": "chat", "chat_id": emulator_user}
    await api.ok("setMyCommands", commands=COMMANDS[1:], scope=one_chat)
    assert await api.ok("getMyCommands", scope=one_chat) == COMMANDS[1:]
    assert await api.ok("deleteMyCommands", scope=private, language_code="en") is True
    assert await api.ok("getMyCommands", scope=private, language_code="en") == []
    response = await api.form("setMyCommands", commands=COMMANDS, scope=private)
    assert response.json() == {"ok": True, "result": True}
    assert await api.ok("getMyCommands", scope=private) == COMMANDS


async def test_command_lists_are_validated(api: BotApi) -> None:
    bad_name = [{"command": "Start", "description": "x"}]
    _, invalid, _ = await api.error("setMyCommands", commands=bad_name)
    assert invalid == "Bad Request: BOT_COMMAND_INVALID"
    _, scope, _ = await api.error("getMyCommands", scope={"type": "everyone"})
    assert scope == "Bad Request: can't parse BotCommandScope JSON object"
    _, chat, _ = await api.error("getMyCommands", scope={"type": "chat", "chat_id": 5})
    assert chat == "Bad Request: chat not found"


async def test_close_and_log_out_answer_true(api: BotApi) -> None:
    assert await api.ok("close") is True
    assert await api.ok("logOut") is True
