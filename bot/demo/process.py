"""The real bot as a child process (`python -m bot run`), pointed at the emulator.

It is the production code path: the same CLI, settings, migrations, polling and handlers, with
only TELEGRAM_API_URL and a token changed.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import string
import subprocess
import sys
import time
from pathlib import Path

from bot.emulator import Emulator

ROOT = Path(__file__).resolve().parents[2]
# Cold starts on a fresh checkout compile every module first; a warm start takes about a second.
READY_TIMEOUT = 90.0
STOP_TIMEOUT = 10.0
_TOKEN_ALPHABET = string.ascii_letters + string.digits + "-_"


def demo_token(bot_id: int) -> str:
    """A token of the shape Settings accepts; the emulator serves the bot named by its digits."""
    return f"{bot_id}:" + "".join(secrets.choice(_TOKEN_ALPHABET) for _ in range(30))


class BotFailed(Exception):
    """The bot exited or hung while starting; the message carries the end of its log."""


class BotProcess:
    def __init__(self, emulator: Emulator, folder: Path, database_url: str) -> None:
        self.emulator = emulator
        self.folder = folder
        self.database_url = database_url
        self.log_path = folder / "bot.log"
        self.clock_path = folder / "clock"
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            BOT_TOKEN=demo_token(self.emulator.state.settings.default_bot_id),
            TELEGRAM_API_URL=self.emulator.base_url,
            DATABASE_URL=self.database_url,
            # Whatever a developer's shell or .env says, the demo keeps to its own data.
            REDIS_URL="",
            ADMIN_IDS="",
            DEFAULT_LOCALE="zh",
            LOG_LEVEL="INFO",
            # The demo's emulator enforces no rate limits, so the bot keeps no pace of its own
            # either: a step's answers arrive together, as the chat and the tour expect them.
            SEND_RATE="1000",
            DELIVERY_RATE="1000",
            CHAT_RATE_PER_SECOND="1000",
            CHAT_BURST="1000",
            GROUP_RATE_PER_MINUTE="60000",
            # `:time` moves the bot's clock through this file; reminders are looked for often.
            CLOCK_FILE=str(self.clock_path),
            TICK_SECONDS="1",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        return env

    def start(self) -> None:
        with self.log_path.open("ab") as log:
            # This interpreter running our own module, arguments fixed; from the data folder,
            # so that a developer's .env in the checkout is not read.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"],
                cwd=self.folder,
                env=self.env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    async def wait_ready(self) -> None:
        """Until the bot polls for updates."""
        bot = self.emulator.state.bot()
        deadline = time.monotonic() + READY_TIMEOUT
        while not any(n.lower() == "getupdates" for n, c in bot.method_calls.items() if c):
            if self.process is None or self.process.poll() is not None:
                raise BotFailed(f"the bot stopped while starting:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise BotFailed(f"the bot did not start in {READY_TIMEOUT:.0f} s")
            await asyncio.sleep(0.05)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM, as a service manager would, then SIGKILL if it lingers."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])
