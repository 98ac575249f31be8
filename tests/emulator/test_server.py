"""Starting the server: free ports, serve(), plain HTTP details of the wire protocol."""

from __future__ import annotations

import asyncio
import contextlib
import socket

import httpx
import pytest

from bot.emulator import Emulator, EmulatorSettings, EmulatorState, serve
from tests.emulator.helpers import BotApi


async def test_port_zero_picks_a_free_loopback_port() -> None:
    async with Emulator() as first, Emulator() as second:
        assert first.base_url.startswith("http://127.0.0.1:")
        assert first.port > 0
        assert first.port != second.port
        async with httpx.AsyncClient() as http:
            response = await http.get(first.method_url("getMe"))
        assert response.json()["result"]["id"] == first.state.settings.default_bot_id


async def _get_me_when_up(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        for _ in range(100):
            with contextlib.suppress(httpx.ConnectError):
                return await http.get(url)
            await asyncio.sleep(0.02)
    raise AssertionError(f"nothing answered at {url}")


async def test_serve_runs_until_cancelled() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/bot{EmulatorState().default_token()}/getMe"
    task = asyncio.create_task(serve("127.0.0.1", port))
    response = await _get_me_when_up(url)
    assert response.json()["result"]["is_bot"] is True
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert task.cancelled()
    async with httpx.AsyncClient() as http:
        with pytest.raises(httpx.ConnectError):
            await http.get(url)


async def test_query_string_parameters_and_unknown_paths(
    api: BotApi, http: httpx.AsyncClient, emulator_user: int
) -> None:
    sent = await http.get(
        f"/bot{api.token}/sendMessage", params={"chat_id": emulator_user, "text": "via GET"}
    )
    assert sent.json()["result"]["text"] == "via GET"
    elsewhere = await http.get("/no/such/place")
    assert elsewhere.status_code == 404
    assert elsewhere.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
    broken = await http.post(
        f"/bot{api.token}/sendMessage",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert broken.status_code == 400
    assert broken.json()["description"] == "Bad Request: can't parse JSON object"


async def test_uploads_beyond_the_size_limit_are_refused() -> None:
    settings = EmulatorSettings(max_upload_bytes=1000)
    async with Emulator(settings=settings) as emulator, httpx.AsyncClient() as http:
        user = emulator.users.create_user("Alice")["id"]
        response = await http.post(
            emulator.method_url("sendDocument"),
            data={"chat_id": str(user)},
            files={"document": ("big.bin", b"\0" * (2 * 1024 * 1024))},
        )
    assert response.status_code == 413
    assert response.json()["description"] == "Request Entity Too Large"
