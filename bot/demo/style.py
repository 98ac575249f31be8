"""Telegram's formatting (entities) as ANSI styles on a terminal, as markers in a transcript."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

JsonDict = dict[str, Any]

# SGR codes: bold, italic, underline, strike, reverse video for spoilers, cyan for code,
# blue underline for anything that can be opened.
_ANSI = {
    "bold": "1",
    "italic": "3",
    "underline": "4",
    "strikethrough": "9",
    "spoiler": "7",
    "code": "36",
    "pre": "36",
    "blockquote": "2",
    "text_link": "4;34",
    "url": "4;34",
    "text_mention": "4;34",
}
# Without a terminal the markers people write in chats by hand stand in for the styles.
_MARKERS = {
    "bold": ("*", "*"),
    "italic": ("_", "_"),
    "strikethrough": ("~", "~"),
    "spoiler": ("||", "||"),
    "code": ("`", "`"),
    "pre": ("```", "```"),
}
DIM = "\x1b[0;2m"


def _utf16_positions(text: str) -> dict[int, int]:
    """Python index of each UTF-16 offset: Telegram counts an emoji outside the BMP as two."""
    positions: dict[int, int] = {}
    offset = 0
    for index, char in enumerate(text):
        positions[offset] = index
        offset += 2 if ord(char) > 0xFFFF else 1
    positions[offset] = len(text)
    return positions


def _sgr(active: Sequence[JsonDict]) -> str:
    codes = [_ANSI[entity["type"]] for entity in active if entity["type"] in _ANSI]
    return "\x1b[0;" + ";".join(codes) + "m" if codes else "\x1b[0m"


def _link_target(entity: JsonDict) -> str:
    if entity["type"] == "text_link":
        return str(entity.get("url", ""))
    return ""


def styled(text: str, entities: Sequence[JsonDict] | None, *, ansi: bool) -> str:
    """``text`` with its entities shown; entities nest properly, as Telegram sends them."""
    positions = _utf16_positions(text)
    starts: dict[int, list[JsonDict]] = {}
    ends: dict[int, list[JsonDict]] = {}
    for entity in entities or ():
        start = positions.get(int(entity["offset"]))
        end = positions.get(int(entity["offset"]) + int(entity["length"]))
        if start is None or end is None or end <= start:
            continue
        starts.setdefault(start, []).append(entity)
        ends.setdefault(end, []).append(entity)
    out: list[str] = []
    active: list[JsonDict] = []
    for index in range(len(text) + 1):
        closing = [e for e in reversed(active) if any(e is x for x in ends.get(index, ()))]
        opening = starts.get(index, [])
        for entity in closing:
            active.remove(entity)
            target = _link_target(entity)
            if ansi:
                out.append(_sgr(active))
                out.append(f"{DIM} <{target}>{_sgr(active)}" if target else "")
            else:
                out.append(_MARKERS.get(entity["type"], ("", ""))[1])
                out.append(f" <{target}>" if target else "")
        for entity in opening:
            active.append(entity)
            out.append(_sgr(active) if ansi else _MARKERS.get(entity["type"], ("", ""))[0])
        if index < len(text):
            out.append(text[index])
    return "".join(out)


def plain_style(text: str, code: str, *, ansi: bool) -> str:
    """One piece of the demo's own text in an SGR style (``1`` bold, ``2`` dim, ``33`` yellow)."""
    return f"\x1b[0;{code}m{text}\x1b[0m" if ansi else text
