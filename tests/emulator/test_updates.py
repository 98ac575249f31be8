"""getUpdates long polling, offsets, allowed_updates and the conflicts Telegram reports."""

from __future__ import annotations

import asyncio
import time

from bot.emulator import Emulator
from bot.emulator.errors import POLL_CONFLICT, WEBHOOK_CONFLICT
from tests.emulator.helpers import BotApi


async def test_long_poll_waits_the_full_timeout_when_nothing_arrives(api: BotApi) -> None:
    started = time.monotonic()
    assert await api.ok("getUpdates", timeout=1) == []
    assert 0.9 <= time.monotonic() - started < 2.0


async def test_long_poll_returns_as_soon_as_an_update_arrives(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    async def write_later() -> None:
        await asyncio.sleep(0.2)
        emulator.users.send_message(emulator_user, "在吗")

    writer = asyncio.create_task(write_later())
    started = time.monotonic()
    updates = await api.ok("getUpdates", timeout=10)
    elapsed = time.monotonic() - started
    await writer
    assert 0.15 <= elapsed < 1.0
    assert [u["message"]["text"] for u in updates] == ["在吗"]
    assert updates[0]["message"]["from"]["first_name"] == "Alice"


async def test_offset_confirms_everything_below_it(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    for text in ("one", "two", "three"):
        emulator.users.send_message(emulator_user, text)
    updates = await api.ok("getUpdates")
    ids = [u["update_id"] for u in updates]
    assert ids == sorted(ids)
    assert ids[1] == ids[0] + 1
    assert ids[2] == ids[1] + 1
    assert [u["update_id"] for u in await api.ok("getUpdates", limit=2)] == ids[:2]
    # Without an offset nothing is confirmed; with one, everything below is gone for good.
    assert len(await api.ok("getUpdates")) == 3
    rest = await api.ok("getUpdates", offset=ids[1] + 1)
    assert [u["message"]["text"] for u in rest] == ["three"]
    assert await api.ok("getUpdates", offset=ids[2] + 1) == []
    assert (await api.ok("getWebhookInfo"))["pending_update_count"] == 0


async def test_negative_offset_keeps_only_the_latest(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    for text in ("a", "b", "c"):
        emulator.users.send_message(emulator_user, text)
    latest = await api.ok("getUpdates", offset=-1)
    assert [u["message"]["text"] for u in latest] == ["c"]
    assert [u["message"]["text"] for u in await api.ok("getUpdates")] == ["c"]


async def test_allowed_updates_persist_and_filter_new_updates(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    await api.ok("getUpdates", allowed_updates=["callback_query"])
    emulator.users.send_message(emulator_user, "ignored")
    assert await api.ok("getUpdates") == []
    await api.ok("getUpdates", allowed_updates=[])
    emulator.users.send_message(emulator_user, "seen")
    assert [u["message"]["text"] for u in await api.ok("getUpdates")] == ["seen"]


async def test_get_updates_conflicts_with_a_webhook_and_with_another_poller(
    api: BotApi, emulator: Emulator
) -> None:
    assert await api.ok("setWebhook", url="http://127.0.0.1:9/hook") is True
    status, description, _ = await api.error("getUpdates")
    assert (status, description) == (409, WEBHOOK_CONFLICT)
    assert await api.ok("deleteWebhook") is True

    first = asyncio.create_task(api.raw("getUpdates", timeout=5))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(api.raw("getUpdates", timeout=0))
    superseded, current = await asyncio.wait_for(asyncio.gather(first, second), 3)
    assert superseded.status_code == 409
    assert superseded.json()["description"] == POLL_CONFLICT
    assert current.json() == {"ok": True, "result": []}


async def test_update_ids_increase_across_kinds_of_updates(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    sent = await api.ok(
        "sendMessage",
        chat_id=emulator_user,
        text="pick",
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
    )
    emulator.users.send_message(emulator_user, "hi")
    emulator.users.press_button(emulator_user, sent["message_id"], data="a")
    emulator.users.block(emulator_user)
    updates = await api.ok("getUpdates")
    assert [next(k for k in u if k != "update_id") for u in updates] == [
        "message",
        "callback_query",
        "my_chat_member",
    ]
    ids = [u["update_id"] for u in updates]
    assert ids == sorted(set(ids))
