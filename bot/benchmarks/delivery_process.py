"""The bot as a child process (`python -m bot run`) for `bench delivery`: it answers people and
runs the delivery sender, both through its token's one budget, as in production.

Unlike bench crash's BotProcess, the Bot API server may be another process (`--api-url`), so
readiness is read through the emulator's control API rather than its memory.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path

from bot.benchmarks.process import ChildProcess

ROOT = Path(__file__).resolve().parents[2]


class EngineProcess(ChildProcess):
    stop_seconds = 30.0

    """start() again after kill() is a restart on the same database."""

    def __init__(
        self,
        *,
        api_url: str,
        token: str,
        database_url: str,
        workdir: Path,
        polls: Callable[[], Awaitable[int]],
    ) -> None:
        self.api_url = api_url
        self.token = token
        self.database_url = database_url
        self.workdir = workdir
        # getUpdates calls the server has seen: a rise means the bot has started polling.
        self.polls = polls
        self.process: subprocess.Popen[bytes] | None = None

    def _env(self, settings: Mapping[str, str]) -> dict[str, str]:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("WEBHOOK_", "TEST_", "DELIVERY_", "SEND_", "CHAT_", "GROUP_"))
        }
        env.update(
            BOT_TOKEN=self.token,
            TELEGRAM_API_URL=self.api_url,
            DATABASE_URL=self.database_url,
            REDIS_URL="",
            ADMIN_IDS="",
            LOG_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        env.update(settings)
        return env

    async def start(self, settings: Mapping[str, str]) -> None:
        """Start with these settings (environment variables) and wait until it polls."""
        before = await self.polls()
        with (self.workdir / "bot.log").open("ab") as log:
            self.process = subprocess.Popen(  # noqa: ASYNC220 - returns at once
                [sys.executable, "-m", "bot", "run", "--mode", "polling"],
                cwd=self.workdir,
                env=self._env(settings),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        async with asyncio.timeout(60):
            while await self.polls() == before:
                if self.process.poll() is not None:
                    raise RuntimeError(f"the bot exited at start:\n{self.log_tail()}")
                await asyncio.sleep(0.05)

    def cpu_seconds(self) -> float | None:
        """CPU time (user and system) the running bot has used so far; None where /proc is not
        there to tell it (or the bot is not running)."""
        if self.process is None:
            return None
        try:
            stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        except OSError:
            return None
        # The fields after the command name (in parentheses, which may hold spaces): utime and
        # stime are the 14th and 15th of the whole line, in clock ticks.
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log_tail(self) -> str:
        return (self.workdir / "bot.log").read_text(errors="replace")[-3000:]
