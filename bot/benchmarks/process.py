"""The bot as a child process (`python -m bot run`) against the emulator, for `bench crash`."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from bot.emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]


class ChildProcess:
    """A process the benchmark started: kill it, or stop it with SIGTERM and wait."""

    process: subprocess.Popen[bytes] | None = None
    stop_seconds: float = 20.0

    async def kill(self) -> None:
        """SIGKILL: no cleanup, nothing confirmed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            await self._exited(10)

    async def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            if not await self._exited(self.stop_seconds):
                self.process.kill()
                await self._exited(5)

    async def _exited(self, seconds: float) -> bool:
        assert self.process is not None  # noqa: S101 - started before
        for _ in range(int(seconds * 50)):
            if self.process.poll() is not None:
                return True
            await asyncio.sleep(0.02)
        return False


class BotProcess(ChildProcess):
    """start() again after kill() is a restart on the same database."""

    def __init__(self, emulator: Emulator, workdir: Path, database_url: str) -> None:
        self.emulator = emulator
        self.workdir = workdir
        self.database_url = database_url
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "TEST_"))}
        env.update(
            BOT_TOKEN=f"{self.emulator.state.bot().id}:" + "crash-bench-" * 3,
            TELEGRAM_API_URL=self.emulator.base_url,
            DATABASE_URL=self.database_url,
            REDIS_URL="",
            ADMIN_IDS="",
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
            # The emulator's flood limits are off here; so is the bot's own pace (bot/budget.py),
            # else it, not the crashes, would decide how fast answers go out.
            SEND_RATE="1000",
            DELIVERY_RATE="1000",
            CHAT_RATE_PER_SECOND="100",
            CHAT_BURST="100",
            GROUP_RATE_PER_MINUTE="6000",
        )
        return env

    async def start(self) -> None:
        """Start and wait until it polls: from then on it is handling updates."""
        self.starts += 1
        bot = self.emulator.state.bot()
        polls = bot.method_calls["getUpdates"]
        with (self.workdir / "bot.log").open("ab") as log:
            self.process = subprocess.Popen(  # noqa: ASYNC220 - returns at once
                [sys.executable, "-m", "bot", "run", "--mode", "polling"],
                cwd=self.workdir,
                env=self._env(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        async with asyncio.timeout(60):
            while bot.method_calls["getUpdates"] == polls:
                if self.process.poll() is not None:
                    log_text = (self.workdir / "bot.log").read_text(errors="replace")
                    raise RuntimeError(f"the bot exited at start:\n{log_text[-3000:]}")
                await asyncio.sleep(0.02)
