"""Sending and editing messages, validated the way the Bot API documents it."""

from __future__ import annotations

import httpx

from bot.emulator import Emulator
from bot.emulator.errors import NOT_MODIFIED
from tests.emulator.helpers import BotApi, inline_keyboard


async def test_send_message_returns_a_telegram_message(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    sent = await api.ok("sendMessage", chat_id=emulator_user, text="你好")
    assert sent["message_id"] == 1
    assert sent["text"] == "你好"
    assert sent["from"] == {
        "id": 100000001,
        "is_bot": True,
        "first_name": "代表联络助手",
        "username": "emulated_100000001_bot",
    }
    assert sent["chat"] == {
        "id": emulator_user,
        "type": "private",
        "first_name": "Alice",
        "username": "alice",
    }
    assert isinstance(sent["date"], int)
    second = await api.ok("sendMessage", chat_id="@alice", text="again")
    assert second["message_id"] == 2


async def test_form_bodies_and_case_insensitive_method_names(
    api: BotApi, emulator_user: int
) -> None:
    keyboard = inline_keyboard(("是", "yes"))
    response = await api.form(
        "SENDMESSAGE",
        chat_id=str(emulator_user),
        text="<b>ok</b>",
        parse_mode="HTML",
        reply_markup=keyboard,
    )
    body = response.json()
    assert response.status_code == 200
    assert body["result"]["reply_markup"] == keyboard
    assert body["result"]["entities"] == [{"offset": 0, "length": 2, "type": "bold"}]
    multipart = await api.http.post(
        f"/bot{api.token}/sendMessage",
        data={"chat_id": str(emulator_user), "text": "multi"},
        files={"unused": ("a.txt", b"x")},
    )
    assert multipart.json()["result"]["text"] == "multi"


async def test_tokens_and_methods_are_checked(api: BotApi, http: httpx.AsyncClient) -> None:
    garbled = await http.post("/botnot-a-token/getMe")
    assert garbled.status_code == 401
    assert garbled.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    status, description, _ = await api.error("sendTelepathy")
    assert (status, description) == (404, "Not Found")
    other_bot = (await api.raw("getMe", token="42:other-bot")).json()["result"]
    assert other_bot["id"] == 42
    assert other_bot["is_bot"] is True


async def test_text_validation(api: BotApi, emulator_user: int) -> None:
    assert await api.error("sendMessage", chat_id=emulator_user, text="") == (
        400,
        "Bad Request: message text is empty",
        {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"},
    )
    _, blank, _ = await api.error(
        "sendMessage", chat_id=emulator_user, text=" <b> </b> ", parse_mode="HTML"
    )
    assert blank == "Bad Request: message text is empty"
    _, too_long, _ = await api.error("sendMessage", chat_id=emulator_user, text="字" * 4097)
    assert too_long == "Bad Request: message is too long"
    exactly = await api.ok("sendMessage", chat_id=emulator_user, text="字" * 4096)
    assert len(exactly["text"]) == 4096
    _, missing, _ = await api.error("sendMessage", chat_id=987654, text="hi")
    assert missing == "Bad Request: chat not found"


async def test_callback_data_is_limited_to_64_bytes(api: BotApi, emulator_user: int) -> None:
    fits = await api.ok(
        "sendMessage",
        chat_id=emulator_user,
        text="k",
        reply_markup=inline_keyboard(("a", "x" * 64)),
    )
    assert fits["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x" * 64
    # 22 CJK characters are 66 bytes in UTF-8, though only 22 characters.
    for data in ("x" * 65, "选" * 22, ""):
        _, description, _ = await api.error(
            "sendMessage",
            chat_id=emulator_user,
            text="k",
            reply_markup=inline_keyboard(("a", data)),
        )
        assert description == "Bad Request: BUTTON_DATA_INVALID"


async def test_edits_apply_and_identical_edits_are_refused(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    keyboard = inline_keyboard(("下一步", "next"))
    sent = await api.ok("sendMessage", chat_id=emulator_user, text="v1", reply_markup=keyboard)
    target = {"chat_id": emulator_user, "message_id": sent["message_id"]}
    edited = await api.ok("editMessageText", **target, text="v2", reply_markup=keyboard)
    assert edited["text"] == "v2"
    assert edited["reply_markup"] == keyboard
    assert isinstance(edited["edit_date"], int)
    _, same, _ = await api.error("editMessageText", **target, text="v2", reply_markup=keyboard)
    assert same == f"Bad Request: {NOT_MODIFIED}"
    # Leaving reply_markup out removes the keyboard, which counts as a change.
    plain = await api.ok("editMessageText", **target, text="v2")
    assert "reply_markup" not in plain
    again = await api.ok("editMessageReplyMarkup", **target, reply_markup=keyboard)
    assert again["reply_markup"] == keyboard
    _, unchanged, _ = await api.error("editMessageReplyMarkup", **target, reply_markup=keyboard)
    assert unchanged == f"Bad Request: {NOT_MODIFIED}"
    view = emulator.users.messages(emulator_user)
    assert [(m["text"], m["edited"], m["keyboard"]) for m in view] == [("v2", True, keyboard)]


async def test_edit_and_delete_targets_must_exist(api: BotApi, emulator_user: int) -> None:
    _, missing, _ = await api.error(
        "editMessageText", chat_id=emulator_user, message_id=99, text="x"
    )
    assert missing == "Bad Request: message to edit not found"
    sent = await api.ok("sendMessage", chat_id=emulator_user, text="bye")
    assert await api.ok("deleteMessage", chat_id=emulator_user, message_id=sent["message_id"])
    _, gone, _ = await api.error(
        "deleteMessage", chat_id=emulator_user, message_id=sent["message_id"]
    )
    assert gone == "Bad Request: message to delete not found"
    _, edit_gone, _ = await api.error(
        "editMessageText", chat_id=emulator_user, message_id=sent["message_id"], text="x"
    )
    assert edit_gone == "Bad Request: message to edit not found"
    text_only = await api.ok("sendMessage", chat_id=emulator_user, text="t")
    _, no_caption, _ = await api.error(
        "editMessageCaption",
        chat_id=emulator_user,
        message_id=text_only["message_id"],
        caption="c",
    )
    assert no_caption == "Bad Request: there is no caption in the message to edit"


async def test_replies_copies_forwards_locations_and_actions(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    first = await api.ok("sendMessage", chat_id=emulator_user, text="原文", parse_mode="HTML")
    reply = await api.ok(
        "sendMessage",
        chat_id=emulator_user,
        text="re",
        reply_parameters={"message_id": first["message_id"]},
    )
    assert reply["reply_to_message"]["text"] == "原文"
    _, no_target, _ = await api.error(
        "sendMessage", chat_id=emulator_user, text="re", reply_to_message_id=77
    )
    assert no_target == "Bad Request: message to be replied not found"
    bob = emulator.users.create_user("Bob")["id"]
    copied = await api.ok(
        "copyMessage", chat_id=bob, from_chat_id=emulator_user, message_id=first["message_id"]
    )
    assert copied == {"message_id": 1}
    forwarded = await api.ok(
        "forwardMessage", chat_id=bob, from_chat_id=emulator_user, message_id=first["message_id"]
    )
    assert forwarded["forward_origin"]["type"] == "user"
    assert forwarded["forward_origin"]["sender_user"]["is_bot"] is True
    assert [m["text"] for m in emulator.users.messages(bob)] == ["原文", "原文"]
    location = await api.ok("sendLocation", chat_id=bob, latitude=39.9, longitude=116.4)
    assert location["location"] == {"latitude": 39.9, "longitude": 116.4}
    assert await api.ok("sendChatAction", chat_id=bob, action="typing") is True
    _, bad_action, _ = await api.error("sendChatAction", chat_id=bob, action="dancing")
    assert bad_action == "Bad Request: wrong parameter action in request"


async def test_counters_count_accepted_messages_per_chat_and_calls(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    bob = emulator.users.create_user("Bob")["id"]
    for chat_id in (emulator_user, emulator_user, bob):
        await api.ok("sendMessage", chat_id=chat_id, text="n")
    await api.error("sendMessage", chat_id=emulator_user, text="")
    counters = emulator.state.counters(emulator.state.bot())
    assert counters["messages_per_chat"] == {str(emulator_user): 2, str(bob): 1}
    assert counters["messages_total"] == 3
    assert counters["method_calls"] == {"sendMessage": 4}
