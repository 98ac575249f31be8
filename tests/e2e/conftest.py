"""The bot as a separate process (`python -m bot run`) against the emulator over real HTTP."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.emulator import Emulator, UserSide
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
BOT_ID = 100_000_001
TOKEN = f"{BOT_ID}:" + "e2e-token-" * 3
ADMIN = 920_001


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class BotProcess:
    """One bot process; start() again after kill() is a restart on the same database."""

    emulator: Emulator
    workdir: Path
    mode: str = "polling"
    database_url: str = ""
    webhook_port: int = 0
    webhook_secret: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    # Settings beyond the defaults, e.g. {"DELIVERY_POLL_SECONDS": "0.2"}.
    extra_env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    @property
    def users(self) -> UserSide:
        return self.emulator.users

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.webhook_port}/telegram/hook"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "WEBHOOK_"))}
        env.update(
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_URL=self.emulator.base_url,
            DATABASE_URL=self.database_url,
            REDIS_URL="",
            ADMIN_IDS=str(ADMIN),
            DEFAULT_LOCALE="zh",
            LOG_LEVEL="INFO",
            PYTHONPATH=str(ROOT),
        )
        if self.mode == "webhook":
            env.update(
                WEBHOOK_URL=self.webhook_url,
                WEBHOOK_SECRET=self.webhook_secret,
                WEBHOOK_PORT=str(self.webhook_port),
            )
        env.update(self.extra_env)
        return env

    async def start(self) -> None:
        self.starts += 1
        log = (self.workdir / f"bot-{self.starts}.log").open("wb")
        self.process = subprocess.Popen(  # noqa: ASYNC220 - returns at once
            [sys.executable, "-m", "bot", "run", "--mode", self.mode],
            cwd=self.workdir,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        await self._wait_ready()

    async def _wait_ready(self) -> None:
        bot = self.emulator.state.bot(BOT_ID)
        calls_before = bot.method_calls["getUpdates"]
        # A cold start is mostly imports: a few seconds, many more on a loaded machine.
        async with asyncio.timeout(90):
            while True:
                assert self.process is not None
                if self.process.poll() is not None:
                    raise AssertionError(f"the bot exited early:\n{self.log()}")
                if self.mode == "polling" and bot.method_calls["getUpdates"] > calls_before:
                    return
                if self.mode == "webhook" and bot.webhook is not None and await self._healthy():
                    return
                await asyncio.sleep(0.05)

    async def _healthy(self) -> bool:
        import httpx

        try:
            async with httpx.AsyncClient() as client:
                response = await client.get(f"http://127.0.0.1:{self.webhook_port}/healthz")
            return response.status_code == 200
        except httpx.HTTPError:
            return False

    async def kill(self) -> None:
        """SIGKILL: no cleanup, no confirmation of what was fetched."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            await self._exited(10)

    async def stop(self) -> int:
        """SIGTERM, as a service manager would; the emulator keeps serving meanwhile."""
        if self.process is None:
            return 0
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            if not await self._exited(20):
                self.process.kill()
                await self._exited(5)
        return int(self.process.returncode or 0)

    async def _exited(self, seconds: float) -> bool:
        assert self.process is not None
        for _ in range(int(seconds * 20)):
            if self.process.poll() is not None:
                return True
            await asyncio.sleep(0.05)
        return False

    def log(self) -> str:
        return "\n".join(
            p.read_text(errors="replace") for p in sorted(self.workdir.glob("bot-*.log"))
        )


async def prepare_database(url: str) -> Any:
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    return engine, create_sessionmaker(engine)


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator() as running:
        yield running


@pytest.fixture
async def bot_factory(emulator: Emulator, tmp_path: Path) -> AsyncIterator[Any]:
    made: list[BotProcess] = []

    def make(mode: str = "polling") -> BotProcess:
        process = BotProcess(
            emulator=emulator,
            workdir=tmp_path,
            mode=mode,
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'e2e.db'}",
            webhook_port=_free_port(),
        )
        made.append(process)
        return process

    yield make
    for process in made:
        await process.stop()
