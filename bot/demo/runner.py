"""`python -m bot demo`: the emulator, the demo roster and the real bot, then a chat or a script.

The emulator and the chat driver live on an event loop in a helper thread, so the terminal can
read lines with readline on the main thread, where Ctrl-C arrives and is handled.
"""

from __future__ import annotations

import logging
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from bot.demo.chat import Chats
from bot.demo.clock import DemoClock
from bot.demo.loop import LoopThread
from bot.demo.people import DemoUser, find_user
from bot.demo.process import BotFailed, BotProcess
from bot.demo.render import look_for
from bot.demo.script import Player, ScriptError, Step, parse_script, summary
from bot.demo.terminal import Terminal
from bot.emulator import Emulator, EmulatorSettings, RateLimits
from services.config import Settings, SettingsError, load_settings
from storage.migrate import upgrade

TOUR = Path(__file__).resolve().parent / "tour.txt"
ANSWER_TIMEOUT = 15.0
DEFAULT_SPEAKER = "王建国"
# Invitation links then read t.me/liaison_demo_bot?start=…, as a real deployment's would.
BOT_USERNAME = "liaison_demo_bot"


def demo_command(script: Path | None, as_name: str | None, data: Path | None) -> int:
    """Exit code: 0 done, 1 the bot failed or a script expectation was not met, 2 bad input,
    130 interrupted."""
    steps: list[Step] = []
    # SIGTERM would end this process without clean-up, leaving the bot polling on its own.
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        if script is not None:
            steps = parse_script(script.read_text(encoding="utf-8"))
        with _folder(data) as folder:
            settings = load_settings(
                _env_file=None,
                database_url=f"sqlite+aiosqlite:///{folder / 'demo.db'}",
                bot_token=None,
                telegram_api_url=None,
                redis_url=None,
                default_locale="zh",
            )
            return _run(settings, folder, script, steps, as_name, keep=data is not None)
    except (OSError, ScriptError, SettingsError) as error:
        where = f"{script}: " if isinstance(error, ScriptError) else ""
        print(f"demo: {where}{error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminated(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def run_without_token() -> int:
    """`python -m bot run` with neither BOT_TOKEN nor TELEGRAM_API_URL: the demo instead.

    With a terminal it is the interactive chat; without one (CI, `make run < /dev/null`) the
    tour plays and the process exits with its result.
    """
    print(
        "BOT_TOKEN is not set, so this is the local demo: the real bot on a Telegram emulator, "
        "nothing leaves this machine. Put BOT_TOKEN=... in .env (see .env.example) for Telegram.",
        file=sys.stderr,
    )
    if sys.stdin.isatty():
        return demo_command(None, None, None)
    if not TOUR.is_file():
        print(f"demo: the tour {TOUR} is missing; run `python -m bot demo`", file=sys.stderr)
        return 1
    return demo_command(TOUR, None, None)


@contextmanager
def _folder(data: Path | None) -> Iterator[Path]:
    if data is not None:
        data.mkdir(parents=True, exist_ok=True)
        yield data.resolve()
        return
    with tempfile.TemporaryDirectory(prefix="liaison-demo-") as folder:
        yield Path(folder)


def _run(
    settings: Settings,
    folder: Path,
    script: Path | None,
    steps: list[Step],
    as_name: str | None,
    *,
    keep: bool,
) -> int:
    # The chat is the output; the emulator's and the seed's own logging would interleave with it.
    logging.getLogger().setLevel(logging.WARNING)
    upgrade(settings.database_url)
    loop = LoopThread()
    emulator = Emulator(
        settings=EmulatorSettings(limits=RateLimits(enabled=False), bot_username=BOT_USERNAME)
    )
    bot = BotProcess(emulator, folder, settings.database_url)
    try:
        loop.call(emulator.start())
        bot.start()
        # Imported only now: seeding needs aiogram and the importer, seconds of imports on a
        # small machine, which then overlap with the bot's own start instead of preceding it.
        from bot.demo.cast import seed_cast

        cast = loop.call(seed_cast(settings))
        try:
            speaker = find_user(cast, as_name or DEFAULT_SPEAKER)
        except LookupError as error:
            print(f"demo: {error}", file=sys.stderr)
            return 2
        loop.call(_register(emulator, cast))
        loop.call(bot.wait_ready())
        chats = Chats(emulator, timeout=ANSWER_TIMEOUT)
        clock = DemoClock(bot.clock_path, settings.tz)
        if script is None:
            return Terminal(loop, chats, cast, speaker, bot, folder, keep=keep, clock=clock).run()
        return _play(loop, chats, cast, speaker, steps, script, clock)
    except BotFailed as error:
        print(f"demo: {error}", file=sys.stderr)
        return 1
    finally:
        bot.stop()
        loop.close(emulator.stop())


async def _register(emulator: Emulator, cast: list[DemoUser]) -> None:
    """Telegram accounts for the cast, with their ids and names, on the emulator's loop."""
    for user in cast:
        emulator.users.create_user(user.name, user_id=user.telegram_id, language_code="zh")


def _play(
    loop: LoopThread,
    chats: Chats,
    cast: list[DemoUser],
    speaker: DemoUser,
    steps: list[Step],
    script: Path,
    clock: DemoClock,
) -> int:
    look = look_for(sys.stdout)
    player = Player(chats, cast, speaker, look, lambda line: print(line, flush=True), clock)
    started = time.monotonic()
    try:
        loop.call(player.play(steps, script.parent))
    except ScriptError as error:
        print(f"✗ {script}:{error.line}: {error.reason}", file=sys.stderr, flush=True)
        return 1
    print(summary(steps, player.checks, started), flush=True)
    return 0
