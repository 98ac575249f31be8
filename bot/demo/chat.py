"""Driving the users' side of the emulator and noticing what the bot showed in answer.

The bot is done with an action when the emulator holds no unconfirmed update: the bot's poller
confirms a batch only after handling it. Waiting for that, rather than for a pause in its
messages, makes transcripts complete and the same from run to run.
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from bot.demo.render import Seen, SeenKind, buttons, seen_text
from bot.demo.style import JsonDict
from bot.emulator import Emulator, UserSideError


class DemoError(Exception):
    """Something the person at the terminal (or the script) asked for cannot be done."""


class NoAnswer(DemoError):
    pass


class Chats:
    def __init__(self, emulator: Emulator, *, timeout: float) -> None:
        self.users = emulator.users
        self.bot = emulator.state.bot()
        self.timeout = timeout
        # What has been shown of each chat: message id -> the message as it was shown.
        self._shown: dict[int, dict[int, str]] = {}
        self._presses: dict[int, list[str]] = {}

    def changes(self, chat_id: int) -> list[Seen]:
        """What happened in a private chat since the last call: new, edited or deleted messages,
        and pop-ups answering button presses."""
        shown = self._shown.setdefault(chat_id, {})
        seen: list[Seen] = []
        for view in self.users.messages(chat_id):
            key = json.dumps([view["deleted"], view["message"]], sort_keys=True)
            before = shown.get(view["message_id"])
            if before == key:
                continue
            shown[view["message_id"]] = key
            if view["deleted"]:
                seen.append(Seen("deleted", "", view))
            else:
                kind: SeenKind = "new" if before is None else "edited"
                seen.append(Seen(kind, seen_text(view["message"]), view))
        pending = self._presses.get(chat_id, [])
        for callback_id in list(pending):
            answer = self.users.callback_answer(callback_id)
            if answer is not None:
                pending.remove(callback_id)
                if answer.get("text"):
                    seen.append(Seen("alert", str(answer["text"])))
        return seen

    async def send_text(self, user_id: int, text: str) -> list[Seen]:
        if not text.strip():
            raise DemoError("nothing to send")
        try:
            self.users.send_message(user_id, text)
        except UserSideError as error:
            raise DemoError(str(error)) from None
        return await self._answer(user_id)

    async def send_file(self, user_id: int, path: Path) -> list[Seen]:
        data = await _read(path)
        try:
            self.users.send_document(user_id, data, path.name)
        except UserSideError as error:
            raise DemoError(str(error)) from None
        return await self._answer(user_id)

    async def send_photo(self, user_id: int, path: Path) -> list[Seen]:
        """A picture sent as a photo (Telegram keeps its sizes), not as a file."""
        data = await _read(path)
        try:
            self.users.send_photo(user_id, data)
        except UserSideError as error:
            raise DemoError(str(error)) from None
        return await self._answer(user_id)

    async def send_location(self, user_id: int, where: str) -> list[Seen]:
        """A shared location, given as ``latitude,longitude``."""
        try:
            latitude, longitude = (float(part) for part in where.replace("，", ",").split(","))
        except ValueError:
            raise DemoError("a location is latitude,longitude, e.g. 34.62,112.45") from None
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise DemoError("latitude lies within ±90 and longitude within ±180")
        self.users.send_location(user_id, latitude, longitude)
        return await self._answer(user_id)

    def keyboard(self, user_id: int) -> tuple[int, list[JsonDict]] | None:
        """The latest message with buttons in a user's chat, and its buttons."""
        for view in reversed(self.users.messages(user_id)):
            found = buttons(view["message"]) if not view["deleted"] else []
            if found:
                return int(view["message_id"]), found
        return None

    def button(self, user_id: int, choice: str) -> tuple[int, JsonDict]:
        """A button of the latest keyboard, by number (from 1) or by label, and its message."""
        keyboard = self.keyboard(user_id)
        if keyboard is None:
            raise DemoError("no message with buttons in this chat")
        message_id, found = keyboard
        labels = [str(button["text"]) for button in found]
        if choice.isdigit() and 1 <= int(choice) <= len(found):
            return message_id, found[int(choice) - 1]
        if choice.strip() in labels:
            return message_id, found[labels.index(choice.strip())]
        listed = ", ".join(f"{n} {label}" for n, label in enumerate(labels, 1))
        raise DemoError(f"no button {choice!r}; the buttons are: {listed}")

    async def press(self, user_id: int, choice: str) -> list[Seen]:
        message_id, button = self.button(user_id, choice)
        if "callback_data" not in button:
            raise DemoError(f"that button opens {button.get('url', 'something else')}")
        try:
            callback_id = self.users.press_button(
                user_id, message_id, data=str(button["callback_data"])
            )
        except UserSideError as error:
            raise DemoError(str(error)) from None
        self._presses.setdefault(user_id, []).append(callback_id)
        return await self._answer(user_id)

    async def arrival(self, chat_id: int, wanted: str) -> list[Seen]:
        """What the chat shows until a message containing ``wanted`` arrives unasked, as a
        delivery does: the engine sends it on its own time, not in answer to an update."""
        deadline = time.monotonic() + self.timeout
        seen = self.changes(chat_id)
        while not any(wanted in one.text for one in seen):
            if time.monotonic() > deadline:
                raise NoAnswer(f"nothing with {wanted!r} arrived within {self.timeout:.0f} s")
            await asyncio.sleep(0.05)
            seen += self.changes(chat_id)
        return seen

    async def _answer(self, chat_id: int) -> list[Seen]:
        deadline = time.monotonic() + self.timeout
        while self.bot.updates.pending_count:
            if time.monotonic() > deadline:
                raise NoAnswer(f"the bot did not answer within {self.timeout:.0f} s")
            await asyncio.sleep(0.02)
        seen = self.changes(chat_id)
        # An update that takes more than a second (a roster file on a busy machine) is parked by
        # the bot and confirmed before it ends: its answer may still be on its way.
        while not seen and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
            seen = self.changes(chat_id)
        if not seen:
            raise NoAnswer("the bot handled that but showed nothing")
        return seen


async def _read(path: Path) -> bytes:
    try:
        return await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        raise DemoError(f"cannot read {path}: {error.strerror}") from None
