"""What the terminal shows: the bot's messages in boxes, buttons to press, files as one line."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TextIO

from bot.demo.style import JsonDict, plain_style, styled
from bot.demo.width import pad, split_lines, width, wrap

SeenKind = Literal["new", "edited", "deleted", "alert"]


@dataclass(frozen=True)
class Seen:
    """Something the user sees happen in a chat: a message, an edit, a deletion, a pop-up."""

    kind: SeenKind
    text: str  # the plain text, what a script's expectations are checked against
    view: JsonDict | None = None  # the emulator's view of the message


@dataclass(frozen=True)
class Look:
    ansi: bool
    columns: int

    def strong(self, text: str) -> str:
        return plain_style(text, "1", ansi=self.ansi)

    def dim(self, text: str) -> str:
        return plain_style(text, "2", ansi=self.ansi)


def look_for(stream: TextIO) -> Look:
    """Styles and the real width on a terminal; plain markers and 80 columns in a transcript."""
    if stream.isatty():
        return Look(ansi=True, columns=min(shutil.get_terminal_size().columns, 100))
    return Look(ansi=False, columns=80)


def file_size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def attachment(message: JsonDict) -> str | None:
    """A photo, document or location as one line; None for a message of text only."""
    if photos := message.get("photo"):
        largest = max(photos, key=lambda size: int(size.get("width", 0)))
        dims = f"{largest.get('width')}×{largest.get('height')}"
        return f"[照片 photo] {dims} · {file_size(int(largest.get('file_size', 0)))}"
    if document := message.get("document"):
        name = document.get("file_name") or "file"
        return f"[文件 document] {name} · {file_size(int(document.get('file_size', 0)))}"
    if location := message.get("location"):
        return f"[位置 location] {location['latitude']}, {location['longitude']}"
    return None


def sent_file(path: Path) -> str:
    """How a file the user sends shows in the chat; its size when it can be read."""
    try:
        size = f" · {file_size(path.stat().st_size)}"
    except OSError:
        size = ""
    return f"[文件 document] {path.name}{size}"


def sent_photo(path: Path) -> str:
    return sent_file(path).replace("[文件 document]", "[照片 photo]", 1)


def sent_location(where: str) -> str:
    return f"[位置 location] {where}"


def seen_text(message: JsonDict) -> str:
    """What a script may expect of a message: its text or caption, and any attachment line."""
    parts = [attachment(message), message.get("text"), message.get("caption")]
    return "\n".join(part for part in parts if part)


def buttons(message: JsonDict) -> list[JsonDict]:
    """The inline buttons of a message, numbered from 1 in reading order."""
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [button for row in rows for button in row]


def box(title: str, body: list[str], look: Look) -> list[str]:
    limit = max(look.columns - 4, 10)
    pieces = [piece for line in body for piece in wrap(line, limit)]
    inner = min(max([width(piece) for piece in pieces] + [width(title) + 2]), limit)
    top = f"╭─ {title} " + "─" * max(inner - width(title) - 1, 1) + "╮"
    middle = [f"│ {pad(piece, inner)} │" for piece in pieces]
    return [top, *middle, "╰" + "─" * (inner + 2) + "╯"]


def keyboard_lines(message: JsonDict, look: Look) -> list[str]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    lines, number = [], 0
    for row in rows:
        labels = []
        for button in row:
            number += 1
            link = f" ↗ {button['url']}" if "url" in button else ""
            labels.append(f"{look.strong(f'[{number}]')} {button['text']}{link}")
        lines += wrap("  " + "   ".join(labels), look.columns)
    return lines


def message_lines(seen: Seen, look: Look) -> list[str]:
    if seen.kind == "alert":
        return wrap(look.strong("  (弹窗 pop-up) ") + seen.text, look.columns)
    message = (seen.view or {}).get("message", {})
    if seen.kind == "deleted":
        return [look.dim(f"  (消息已删除 message {message.get('message_id')} deleted)")]
    title = str((message.get("from") or {}).get("first_name", "bot"))
    if seen.kind == "edited":
        title += " · 已编辑 edited"
    body: list[str] = []
    if line := attachment(message):
        body.append(look.dim(line))
    for field, entities in (("text", "entities"), ("caption", "caption_entities")):
        if message.get(field):
            body += split_lines(styled(message[field], message.get(entities), ansi=look.ansi))
    return box(look.strong(title), body or [look.dim("(empty)")], look) + keyboard_lines(
        message, look
    )


def user_line(name: str, text: str, look: Look) -> list[str]:
    """What the current user sent, as the chat would show it on their side."""
    return wrap(f"{look.strong(name)} › {text}", look.columns)


def speaker_line(name: str, detail: str, look: Look) -> str:
    head = f"── {name} · {detail} "
    return look.dim(head + "─" * max(look.columns - width(head), 2))
