"""Scripted conversations: a plain text format, read here and played against the running bot.

The format is documented at the top of bot/demo/tour.txt, the tour shipped with the project.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.demo.chat import Chats, DemoError, NoAnswer
from bot.demo.clock import DemoClock
from bot.demo.people import DemoUser, find_user
from bot.demo.render import (
    Look,
    Seen,
    message_lines,
    sent_file,
    sent_location,
    sent_photo,
    speaker_line,
    user_line,
)

StepKind = Literal[
    "speaker", "send", "press", "expect", "file", "photo", "location", "time", "wait"
]
_SENDS = ("send", "press", "file", "photo", "location", "wait")
_CODE_RE = re.compile(r"\{code:([^{}]+)\}")
_PREFIXES: tuple[tuple[str, StepKind], ...] = (
    ("@", "speaker"),
    (":as ", "speaker"),
    ("> ", "send"),
    ("? ", "expect"),
    (":send ", "file"),
    (":photo ", "photo"),
    (":location ", "location"),
    (":press ", "press"),
    (":time ", "time"),
    (":wait ", "wait"),
)


@dataclass(frozen=True)
class Step:
    line: int
    kind: StepKind
    value: str


class ScriptError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.reason = message


def parse_script(text: str) -> list[Step]:
    steps: list[Step] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        step = _step(number, line)
        if step.kind == "expect" and not any(s.kind in _SENDS for s in steps):
            raise ScriptError(number, "an expectation needs a message sent or a button pressed")
        steps.append(step)
    return steps


def _step(number: int, line: str) -> Step:
    if line.startswith("[") and line.endswith("]") and len(line) > 2:
        return Step(number, "press", line[1:-1].strip())
    for prefix, kind in _PREFIXES:
        if line.startswith(prefix) and line[len(prefix) :].strip():
            return Step(number, kind, line[len(prefix) :].strip())
    raise ScriptError(
        number,
        "expected @name, > text, [button], ? text, :send/:photo path, :location, :time, :wait "
        "or # …",
    )


def fill_codes(text: str, codes: Mapping[str, str], line: int) -> str:
    """``{code:NAME}`` becomes NAME's demo invitation code."""

    def code(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name not in codes:
            known = "、".join(codes) or "nobody"
            raise ScriptError(line, f"no invitation code for {name}; codes exist for {known}")
        return codes[name]

    return _CODE_RE.sub(code, text)


class Player:
    """Plays steps, printing the transcript; stops at the first failure."""

    def __init__(
        self,
        chats: Chats,
        cast: list[DemoUser],
        speaker: DemoUser,
        look: Look,
        write: Callable[[str], None],
        clock: DemoClock | None = None,
    ) -> None:
        self.chats = chats
        self.clock = clock
        self.cast = cast
        self.speaker = speaker
        self.look = look
        self.write = write
        self.codes = {user.name: user.code for user in cast if user.code}
        self.answers: list[Seen] = []
        self.checks = 0

    async def play(self, steps: list[Step], base: Path) -> None:
        """Raises ScriptError naming the line of the first step that failed."""
        for step in steps:
            try:
                await self._step(step, base)
            except (DemoError, LookupError, ValueError) as error:
                raise ScriptError(step.line, str(error)) from None

    async def _step(self, step: Step, base: Path) -> None:
        value = fill_codes(step.value, self.codes, step.line)
        if step.kind == "speaker":
            self.speaker = find_user(self.cast, value)
            self.write(speaker_line(self.speaker.name, self.speaker.role, self.look))
            return
        if step.kind == "expect":
            await self._expect(value, step.line)
            return
        if step.kind == "time":
            if self.clock is None:
                raise DemoError("this demo has no clock to move")
            self.write(self.clock.line(self.clock.move(value)))
            self.answers = []
            return
        user = self.speaker
        if step.kind == "wait":
            self.answers = await self.chats.arrival(user.telegram_id, value)
        elif step.kind == "send":
            self._show(user_line(user.name, value, self.look))
            self.answers = await self.chats.send_text(user.telegram_id, value)
        elif step.kind == "file":
            path = base / value
            self._show(user_line(user.name, sent_file(path), self.look))
            self.answers = await self.chats.send_file(user.telegram_id, path)
        elif step.kind == "photo":
            path = base / value
            self._show(user_line(user.name, sent_photo(path), self.look))
            self.answers = await self.chats.send_photo(user.telegram_id, path)
        elif step.kind == "location":
            self._show(user_line(user.name, sent_location(value), self.look))
            self.answers = await self.chats.send_location(user.telegram_id, value)
        else:
            _, button = self.chats.button(user.telegram_id, value)
            self._show(user_line(user.name, f"[{button['text']}]", self.look))
            self.answers = await self.chats.press(user.telegram_id, value)
        for seen in self.answers:
            self._show(message_lines(seen, self.look))

    async def _expect(self, wanted: str, line: int) -> None:
        self.checks += 1
        if not any(wanted in seen.text for seen in self.answers):
            # The rest of an answer may still be on its way: a file made after the update was
            # confirmed (a PDF on a busy machine) comes a moment later. Wait for it, as long as
            # for any answer, before calling the expectation unmet.
            try:
                more = await self.chats.arrival(self.speaker.telegram_id, wanted)
            except NoAnswer:
                more = self.chats.changes(self.speaker.telegram_id)
            for seen in more:
                self._show(message_lines(seen, self.look))
            self.answers += more
        if any(wanted in seen.text for seen in self.answers):
            return
        got = " | ".join(seen.text.replace("\n", " ⏎ ") for seen in self.answers)
        raise ScriptError(line, f"expected {wanted!r} in the answer, which was: {got}")

    def _show(self, lines: list[str]) -> None:
        for line in lines:
            self.write(line)


def summary(steps: list[Step], checks: int, started: float) -> str:
    actions = sum(step.kind in ("send", "press", "file") for step in steps)
    seconds = time.monotonic() - started
    return f"✓ {actions} actions, {checks} checks passed in {seconds:.1f} s"
