"""The interactive demo: chat with the bot as any demo user, in a terminal."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any, TypeVar

from bot.demo.chat import Chats, DemoError
from bot.demo.clock import DemoClock
from bot.demo.loop import LoopThread
from bot.demo.people import DemoUser, cast_table, find_user
from bot.demo.process import BotProcess
from bot.demo.render import (
    Seen,
    message_lines,
    sent_file,
    sent_location,
    sent_photo,
    speaker_line,
    user_line,
)
from bot.demo.screen import Screen
from bot.demo.script import ScriptError, fill_codes
from bot.demo.style import JsonDict

A = TypeVar("A")
# A Chats method: the user's id and one argument in, what the bot showed in answer out.
Action = Callable[[int, A], Coroutine[Any, Any, list[Seen]]]

HELP = """\
  :users            who you can be; those not yet linked have an invitation code
  :as NAME          speak as someone else: a name, a number from :users, or a role (:as admin)
  :send FILE        send a file as a document, e.g. :send bot/demo/roster_update.csv
  :photo FILE       send a picture as a photo, e.g. :photo bot/demo/visit.png
  :location LAT,LON share a location, e.g. :location 34.62,112.45
  1 … n, :press N   press button N (or :press LABEL) of the latest message with buttons
  {code:NAME}       in a message: NAME's invitation code
  :time +1d         move the bot's clock: +1d, +2h, -30m, +1w, or 2024-03-20 08:00 (local)
  :quit             leave (Ctrl-D and Ctrl-C too)
  Anything else goes to the bot as a message from the current user."""


class Terminal:
    def __init__(
        self,
        loop: LoopThread,
        chats: Chats,
        cast: list[DemoUser],
        speaker: DemoUser,
        bot: BotProcess,
        folder: Path,
        *,
        keep: bool,
        clock: DemoClock | None = None,
    ) -> None:
        self.loop, self.chats, self.cast, self.bot = loop, chats, cast, bot
        self.clock = clock
        self.speaker = speaker
        self.folder, self.keep = folder, keep
        self.screen = Screen()
        self.look = self.screen.look
        self.codes = {user.name: user.code for user in cast if user.code}
        self._busy = True

    def run(self) -> int:
        if sys.stdin.isatty():
            # Line editing and history for input(); absent on some platforms, and optional.
            with contextlib.suppress(ImportError):
                import readline  # noqa: F401
        where = "deleted on exit" if not self.keep else "kept"
        self.screen.print(
            self.look.strong("代表联络助手 · 演示 demo")
            + " — the real bot on a local Telegram emulator; nothing leaves this machine.",
            f"数据 data: {self.folder} ({where}); bot log: {self.bot.log_path.name}",
            ":help lists the demo commands; type /start or /help to begin.",
        )
        self._switch(self.speaker)
        self.loop.soon(self._watch())
        while True:
            self._busy = False
            try:
                # Without a terminal nothing echoes the input, and the prompt would be noise.
                line = input(self.screen.prompt if self.screen.interactive else "").strip()
            except EOFError:
                print()
                return 0
            self._busy = True
            if line in (":quit", ":q", ":exit"):
                return 0
            if line:
                self._handle(line)
            if not self.bot.alive():
                self.screen.print("demo: the bot stopped; its log ends with:", self.bot.log_tail())
                return 1

    def _handle(self, line: str) -> None:
        command, _, argument = line.partition(" ")
        argument = argument.strip()
        try:
            if command == ":help":
                self.screen.print(HELP)
            elif command == ":users":
                self.screen.print(*cast_table(self.cast, self.speaker))
            elif command == ":as":
                self._switch(find_user(self.cast, argument))
            elif command == ":send" and argument:
                path = Path(argument).expanduser()
                self._act(line, sent_file(path), self.chats.send_file, path)
            elif command == ":photo" and argument:
                path = Path(argument).expanduser()
                self._act(line, sent_photo(path), self.chats.send_photo, path)
            elif command == ":location" and argument:
                self._act(line, sent_location(argument), self.chats.send_location, argument)
            elif command == ":time" and argument and self.clock is not None:
                self.screen.print(self.clock.line(self.clock.move(argument)))
            elif command == ":press" and argument:
                self._act(line, self._label(argument), self.chats.press, argument)
            elif line.isdigit() and self._has_button(line):
                self._act(line, self._label(line), self.chats.press, line)
            elif line.startswith(":") and line[1:2].isalpha():
                self.screen.print(f"unknown demo command {command}; :help lists them")
            else:
                text = fill_codes(line, self.codes, 0)
                self._act(line, text, self.chats.send_text, text)
        except ScriptError as error:
            self.screen.print(f"demo: {error.reason}")
        except (DemoError, LookupError, ValueError) as error:
            self.screen.print(f"demo: {error}")

    def _act(self, typed: str, shown: str, action: Action[A], argument: A) -> None:
        self.screen.forget_echo(typed)
        self.screen.print(*user_line(self.speaker.name, shown, self.look))
        self._show(self.loop.call(action(self.speaker.telegram_id, argument)))

    def _has_button(self, choice: str) -> bool:
        return self.loop.call(self._button(choice)) is not None

    def _label(self, choice: str) -> str:
        button = self.loop.call(self._button(choice))
        return f"[{button['text'] if button else choice}]"

    async def _button(self, choice: str) -> JsonDict | None:
        try:
            return self.chats.button(self.speaker.telegram_id, choice)[1]
        except DemoError:
            return None

    def _switch(self, user: DemoUser) -> None:
        self.speaker = user
        self.screen.prompt = f"{user.name} › "
        self.screen.print(speaker_line(user.name, user.role, self.look))
        self._show(self.loop.call(self._changes(user.telegram_id)))

    async def _changes(self, chat_id: int) -> list[Seen]:
        return self.chats.changes(chat_id)

    async def _watch(self) -> None:
        """Shows what the bot sends on its own while the prompt waits, e.g. a reminder."""
        while True:
            await asyncio.sleep(0.3)
            if self._busy:
                continue
            seen = self.chats.changes(self.speaker.telegram_id)
            if seen:
                self._show(seen, redraw=True)

    def _show(self, seen: list[Seen], *, redraw: bool = False) -> None:
        lines = [line for item in seen for line in message_lines(item, self.look)]
        if lines:
            self.screen.print(*lines, redraw=redraw)
