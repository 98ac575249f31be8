"""Text going out: escaping user-supplied values and splitting long messages."""

from __future__ import annotations

import html
import re

TELEGRAM_TEXT_LIMIT = 4096

_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*>")
# Where a sentence may end, in Chinese or English text.
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;…])|(?<=\.)\s")


def esc(value: object) -> str:
    """Escape any user-supplied value for Telegram's HTML parse mode."""
    return html.escape(str(value), quote=True)


def split_text(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Split at paragraph, line, sentence or word boundaries into parts of at most `limit`.

    HTML tags left open at a cut are closed at the end of the part and reopened in the next,
    so each part parses on its own. A cut never falls inside a tag or an entity.
    """
    if limit < 64:
        raise ValueError("limit too small to hold reopened tags")
    parts: list[str] = []
    rest = text
    reopen = ""
    while rest:
        budget = limit - len(reopen)
        if len(rest) <= budget:
            parts.append(reopen + rest)
            break
        cut = _cut_point(rest, budget - 40)  # room for closing tags
        chunk = reopen + rest[:cut]
        open_tags = _open_tags(chunk)
        closing = "".join(f"</{name}>" for name, _ in reversed(open_tags))
        parts.append(chunk.rstrip() + closing)
        reopen = "".join(tag for _, tag in open_tags)
        rest = rest[cut:].lstrip("\n ")
    return [part for part in parts if part.strip()]


def _cut_point(text: str, budget: int) -> int:
    window = text[:budget]
    for pattern in ("\n\n", "\n"):
        index = window.rfind(pattern)
        if index > budget // 2:
            return _safe(text, index + len(pattern))
    ends = [m.end() for m in _SENTENCE_END.finditer(window) if m.end() > budget // 2]
    if ends:
        return _safe(text, ends[-1])
    space = window.rfind(" ")
    return _safe(text, space + 1 if space > budget // 2 else budget)


def _safe(text: str, index: int) -> int:
    """Move a cut back so it does not fall inside `<...>` or `&...;`."""
    lt, gt = text.rfind("<", 0, index), text.rfind(">", 0, index)
    if lt > gt:
        index = lt
    amp = text.rfind("&", 0, index)
    if amp != -1 and ";" not in text[amp:index] and index - amp <= 10:
        index = amp
    return index


def _open_tags(chunk: str) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for match in _TAG.finditer(chunk):
        closing, name = match.group(1), match.group(2).lower()
        if not closing:
            stack.append((name, match.group(0)))
        elif stack and stack[-1][0] == name:
            stack.pop()
    return stack
