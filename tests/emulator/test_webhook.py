"""Webhook delivery: pushes in order, the secret header, retries after a failing receiver."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web

from bot.emulator import Emulator, EmulatorSettings, EmulatorState, RateLimits, UserSide
from tests.emulator.helpers import BotApi


@dataclass
class Receiver:
    """A bot's webhook endpoint that can be told to fail its first requests."""

    url: str = ""
    fail_first: int = 0
    reply: dict[str, Any] | None = None
    received: list[dict[str, Any]] = field(default_factory=list)
    secrets: list[str | None] = field(default_factory=list)
    attempts: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self.attempts <= self.fail_first:
            return web.Response(status=500, text="boom")
        self.received.append(await request.json())
        self.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        self.arrived.set()
        if self.reply is not None:
            return web.json_response(self.reply)
        return web.Response(status=200)

    async def wait_for(self, count: int) -> None:
        async with asyncio.timeout(5):
            while len(self.received) < count:
                self.arrived.clear()
                await self.arrived.wait()


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    target = Receiver()
    app = web.Application()
    app.router.add_post("/hook", target.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    await web.SockSite(runner, sock).start()
    target.url = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    yield target
    await runner.cleanup()


async def test_updates_are_pushed_in_order_with_the_secret_header(
    api: BotApi, emulator: Emulator, emulator_user: int, receiver: Receiver
) -> None:
    assert await api.ok("setWebhook", url=receiver.url, secret_token="s3cr3t_TOKEN-1") is True
    for text in ("一", "二", "三"):
        emulator.users.send_message(emulator_user, text)
    await receiver.wait_for(3)
    assert [u["message"]["text"] for u in receiver.received] == ["一", "二", "三"]
    assert receiver.secrets == ["s3cr3t_TOKEN-1"] * 3
    info = await api.ok("getWebhookInfo")
    assert info["url"] == receiver.url
    assert info["pending_update_count"] == 0
    assert "last_error_date" not in info


async def test_a_failing_receiver_gets_the_same_update_again_until_it_accepts(
    api: BotApi, emulator: Emulator, emulator_user: int, receiver: Receiver
) -> None:
    receiver.fail_first = 3
    await api.ok("setWebhook", url=receiver.url)
    emulator.users.send_message(emulator_user, "first")
    emulator.users.send_message(emulator_user, "second")
    await receiver.wait_for(2)
    assert receiver.attempts == 5
    assert [u["message"]["text"] for u in receiver.received] == ["first", "second"]
    assert receiver.secrets == [None, None]
    info = await api.ok("getWebhookInfo")
    assert (
        info["last_error_message"] == "Wrong response from the webhook: 500 Internal Server Error"
    )
    assert isinstance(info["last_error_date"], int)


async def test_pending_updates_are_counted_and_can_be_dropped(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    # Port 9 (discard) refuses connections on loopback, so nothing is ever delivered.
    await api.ok("setWebhook", url="http://127.0.0.1:9/hook")
    emulator.users.send_message(emulator_user, "stuck")
    emulator.users.send_message(emulator_user, "stuck too")
    await asyncio.sleep(0.2)
    info = await api.ok("getWebhookInfo")
    assert info["pending_update_count"] == 2
    assert info["last_error_message"] == "Connection refused"
    assert await api.ok("deleteWebhook", drop_pending_updates=True) is True
    assert await api.ok("getWebhookInfo") == {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": 0,
    }


async def test_webhook_urls_must_stay_on_this_machine(api: BotApi) -> None:
    _, remote, _ = await api.error("setWebhook", url="https://example.com/hook")
    assert remote == "Bad Request: bad webhook: the emulator delivers to loopback addresses only"
    _, scheme, _ = await api.error("setWebhook", url="ftp://127.0.0.1/hook")
    assert scheme == "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
    _, secret, _ = await api.error("setWebhook", url="http://127.0.0.1:9/", secret_token="a b")
    assert secret == "Bad Request: bad webhook: secret token contains unallowed characters"


async def test_a_method_in_the_webhook_reply_is_executed(
    api: BotApi, emulator: Emulator, emulator_user: int, receiver: Receiver
) -> None:
    receiver.reply = {"method": "sendMessage", "chat_id": emulator_user, "text": "收到"}
    await api.ok("setWebhook", url=receiver.url)
    emulator.users.send_message(emulator_user, "hello")
    answer = await emulator.users.next_message(emulator_user, wait_seconds=3)
    assert answer["text"] == "收到"
    assert answer["from_bot"] is True


async def test_webhooks_resume_when_the_same_state_is_served_again(
    receiver: Receiver,
) -> None:
    state = EmulatorState(EmulatorSettings(limits=RateLimits(enabled=False)))
    user = state.add_user("Alice").id
    async with Emulator(state) as first, httpx.AsyncClient(base_url=first.base_url) as http:
        await BotApi(http, first.token).ok("setWebhook", url=receiver.url)
    UserSide(state).send_message(user, "while nobody served")
    async with Emulator(state):
        await receiver.wait_for(1)
    assert [u["message"]["text"] for u in receiver.received] == ["while nobody served"]
