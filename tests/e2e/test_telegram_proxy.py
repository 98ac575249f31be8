"""TELEGRAM_PROXY carries every Bot API call; an unreachable API or proxy stops the start in
one line."""

from __future__ import annotations

import asyncio
import os
import socket
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bot.emulator import Emulator
from tests.e2e.conftest import ROOT, TOKEN
from tests.e2e.proxies import Proxy

pytestmark = pytest.mark.e2e


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _run(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "TELEGRAM_"))}
    env.update(
        BOT_TOKEN=settings.pop("BOT_TOKEN", TOKEN),
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
        PYTHONPATH=str(ROOT),
        **settings,
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_an_unreachable_bot_api_stops_the_start_with_one_line(tmp_path: Path) -> None:
    api = f"http://127.0.0.1:{_closed_port()}"
    result = _run(tmp_path, TELEGRAM_API_URL=api)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Cannot reach the Bot API at {api}: ")
    assert not (tmp_path / "bot.db").exists()  # stopped before touching the database


async def test_a_refused_token_stops_the_start_with_one_line(
    emulator: Emulator, tmp_path: Path
) -> None:
    # Well-formed for the settings; bot id 0 is one the Bot API (and the emulator) refuses.
    token = "000:" + "a" * 30
    api = emulator.base_url
    result = await asyncio.to_thread(_run, tmp_path, BOT_TOKEN=token, TELEGRAM_API_URL=api)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line == f"The Bot API at {api} refused getMe: Unauthorized"


@pytest.mark.parametrize("scheme", ["http", "socks5"])
def test_an_unreachable_proxy_stops_the_start_with_one_line_naming_it(
    tmp_path: Path, scheme: str
) -> None:
    proxy = f"{scheme}://127.0.0.1:{_closed_port()}"
    api = f"http://127.0.0.1:{_closed_port()}"
    result = _run(tmp_path, TELEGRAM_API_URL=api, TELEGRAM_PROXY=proxy.replace("//", "//u:pw@"))
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Cannot reach the Bot API at {api} through the proxy {scheme}://u@")
    assert f"127.0.0.1:{proxy.rpartition(':')[2]}" in line
    assert "pw" not in line


def _tls_proxy_context(folder: Path) -> ssl.SSLContext:
    """A self-signed certificate for 127.0.0.1; the bot trusts it through SSL_CERT_FILE."""
    cert, key = folder / "proxy.pem", folder / "proxy.key"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.parametrize(("kind", "tls"), [("http", False), ("http", True), ("socks5", False)])
async def test_the_bot_talks_to_telegram_through_the_proxy(
    bot_factory: Any,
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    kind: str,
    tls: bool,
) -> None:
    context = _tls_proxy_context(tmp_path) if tls else None
    async with Proxy(kind, tls=context) as proxy:
        monkeypatch.setenv("TELEGRAM_PROXY", proxy.url)
        if tls:
            monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "proxy.pem"))
        bot = bot_factory()
        await bot.start()
        bot.users.create_user("Stranger", user_id=930_101, language_code="en")
        bot.users.send_message(930_101, "hello")
        reply = await bot.users.next_message(930_101, 20)
        assert "ask your liaison office for an invitation link or code" in reply["text"]
        assert await bot.stop() == 0
    emulator_address = emulator.base_url.removeprefix("http://").rstrip("/")
    assert set(proxy.targets) == {emulator_address}
    for call in (b"/getMe", b"/getUpdates", b"/sendMessage"):
        assert call in proxy.sent, call


async def test_a_proxy_that_goes_down_and_comes_back_is_waited_out(
    bot_factory: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Proxy("socks5") as proxy:
        monkeypatch.setenv("TELEGRAM_PROXY", proxy.url)
        bot = bot_factory()
        await bot.start()
        bot.users.create_user("Stranger", user_id=930_102, language_code="en")
        await proxy.pause()
        # The second failure in a row is a connection refused by the proxy itself (the first is
        # the long poll cut short): the poller must take it as a network error and wait.
        async with asyncio.timeout(30):
            while "retry in 2 s" not in bot.log():
                assert bot.process.poll() is None, bot.log()
                await asyncio.sleep(0.05)
        await proxy.resume()
        bot.users.send_message(930_102, "hello")
        reply = await bot.users.next_message(930_102, 30)
        assert "ask your liaison office" in reply["text"]
        assert await bot.stop() == 0
