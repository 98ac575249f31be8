"""The users' side over HTTP through EmulatorClient, as a demo or benchmark drives it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.emulator import Emulator, EmulatorClient
from bot.emulator.client import ControlError
from tests.emulator.helpers import BotApi, inline_keyboard, png_bytes


@pytest.fixture
async def client(emulator: Emulator) -> AsyncIterator[EmulatorClient]:
    async with EmulatorClient(emulator.base_url) as control:
        yield control


async def test_users_write_and_the_bot_reads_their_updates(
    client: EmulatorClient, api: BotApi
) -> None:
    info = await client.info()
    assert info["token"] == api.token
    alice = await client.create_user("Alice", last_name="Li", username="alice", language_code="zh")
    assert alice == {
        "id": alice["id"],
        "is_bot": False,
        "first_name": "Alice",
        "last_name": "Li",
        "username": "alice",
        "language_code": "zh",
    }
    await client.send_command(alice["id"], "log", "2024Q3")
    await client.send_location(alice["id"], 31.2, 121.5)
    await client.send_photo(alice["id"], png_bytes(10, 10), caption="现场")
    await client.send_document(alice["id"], b"data", "a.txt")
    updates = await api.ok("getUpdates")
    messages = [u["message"] for u in updates]
    assert messages[0]["text"] == "/log 2024Q3"
    assert messages[0]["entities"] == [{"offset": 0, "length": 4, "type": "bot_command"}]
    assert messages[1]["location"] == {"latitude": 31.2, "longitude": 121.5}
    assert messages[2]["caption"] == "现场"
    assert messages[3]["document"]["file_name"] == "a.txt"
    assert [m["message_id"] for m in messages] == [1, 2, 3, 4]


async def test_groups_commands_and_replies(client: EmulatorClient, api: BotApi) -> None:
    alice = await client.create_user("Alice")
    bob = await client.create_user("Bob")
    group = await client.create_group("代表小组", [alice["id"], bob["id"]], type="group")
    assert group["type"] == "group"
    first = await client.send_message(alice["id"], "大家好", chat_id=group["id"])
    await client.send_command(bob["id"], "start", chat_id=group["id"])
    reply = await client.send_message(bob["id"], "收到", chat_id=group["id"], reply_to=1)
    assert reply["reply_to_message"]["text"] == "大家好"
    updates = await api.ok("getUpdates")
    assert updates[0]["my_chat_member"]["new_chat_member"]["status"] == "member"
    assert updates[1]["message"]["message_id"] == first["message_id"]
    assert updates[2]["message"]["text"] == "/start@emulated_100000001_bot"
    outsider = await client.create_user("Carol")
    with pytest.raises(ControlError, match="not in chat") as caught:
        await client.send_message(outsider["id"], "x", chat_id=group["id"])
    assert caught.value.status == 400


async def test_pressing_buttons_and_reading_the_answer(client: EmulatorClient, api: BotApi) -> None:
    alice = await client.create_user("Alice")
    keyboard = inline_keyboard(("确认", "confirm:7"), ("取消", "cancel"))
    sent = await api.ok(
        "sendMessage", chat_id=alice["id"], text="确认出席？", reply_markup=keyboard
    )
    query_id = await client.press_button(alice["id"], sent["message_id"], text="确认")
    assert await client.callback_answer(query_id) is None
    [update] = await api.ok("getUpdates")
    query = update["callback_query"]
    assert (query["id"], query["data"]) == (query_id, "confirm:7")
    assert query["message"]["message_id"] == sent["message_id"]
    assert query["from"]["id"] == alice["id"]
    assert await api.ok("answerCallbackQuery", callback_query_id=query_id, text="已确认") is True
    answer = await client.callback_answer(query_id)
    assert answer == {"text": "已确认", "show_alert": False, "url": None, "cache_time": 0}
    _, twice, _ = await api.error("answerCallbackQuery", callback_query_id=query_id)
    assert twice == (
        "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    with pytest.raises(ControlError, match="no such inline button"):
        await client.press_button(alice["id"], sent["message_id"], data="missing")


async def test_chat_transcript_and_waiting_for_the_next_message(
    client: EmulatorClient, api: BotApi
) -> None:
    alice = await client.create_user("Alice")
    await client.send_message(alice["id"], "hi")
    keep = await api.ok(
        "sendMessage",
        chat_id=alice["id"],
        text="one",
        reply_markup={"keyboard": [[{"text": "菜单"}]], "resize_keyboard": True},
    )
    drop = await api.ok("sendMessage", chat_id=alice["id"], text="two")
    await api.ok("editMessageText", chat_id=alice["id"], message_id=drop["message_id"], text="2")
    await api.ok("deleteMessage", chat_id=alice["id"], message_id=drop["message_id"])
    transcript = await client.messages(alice["id"])
    assert [(m["text"], m["edited"], m["deleted"]) for m in transcript] == [
        ("one", False, False),
        ("2", True, True),
    ]
    assert transcript[0]["keyboard"] == {"keyboard": [[{"text": "菜单"}]], "resize_keyboard": True}
    everything = await client.messages(alice["id"], include_user_messages=True)
    assert [m["from_bot"] for m in everything] == [False, True, True]
    assert (await client.next_message(alice["id"]))["message_id"] == keep["message_id"]
    assert (await client.next_message(alice["id"]))["message_id"] == drop["message_id"]
    with pytest.raises(TimeoutError):
        await client.next_message(alice["id"], wait_seconds=0.2)


async def test_blocking_counters_and_knobs_over_http(client: EmulatorClient, api: BotApi) -> None:
    alice = await client.create_user("Alice")
    await api.ok("sendMessage", chat_id=alice["id"], text="before")
    await client.block(alice["id"])
    status, _, _ = await api.error("sendMessage", chat_id=alice["id"], text="after")
    assert status == 403
    with pytest.raises(ControlError, match="blocked the bot"):
        await client.send_message(alice["id"], "let me in")
    await client.unblock(alice["id"])
    await client.set_faults(share=1.0, kinds=["502"], methods=["sendMessage"])
    status, description, _ = await api.error("sendMessage", chat_id=alice["id"], text="x")
    assert (status, description) == (502, "Bad Gateway")
    await client.set_faults(share=0.0)
    await client.set_limits(enabled=True, private_burst=1)
    await api.ok("sendMessage", chat_id=alice["id"], text="ok")
    status, _, body = await api.error("sendMessage", chat_id=alice["id"], text="too fast")
    assert (status, body["parameters"]["retry_after"]) == (429, 1)
    counters = await client.counters()
    assert counters["messages_per_chat"] == {str(alice["id"]): 2}
    assert counters["method_calls"] == {"sendMessage": 5}
    assert counters["faults_injected"]["502"] == 1
    with pytest.raises(ControlError, match="fault share"):
        await client.set_faults(share=2.0)
