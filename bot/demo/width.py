"""Terminal columns: Chinese characters take two, ANSI styling none; wrapping keeps styles.

Every style change this package writes is one absolute SGR sequence (reset, then the codes in
force), so the last sequence seen says which style is active: enough to close it at a line break
and reopen it on the next line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

RESET = "\x1b[0m"
_SGR_RE = re.compile(r"(\x1b\[[0-9;]*m)")


def char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    # "A"mbiguous characters (—, …, ·) are narrow in the terminals most people use.
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def width(text: str) -> int:
    return sum(char_width(char) for char in _SGR_RE.sub("", text))


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def _units(text: str) -> Iterable[str]:
    for part in _SGR_RE.split(text):
        if _SGR_RE.fullmatch(part):
            yield part
        else:
            yield from part


def _active(units: Iterable[str], start: str) -> str:
    style = start
    for unit in units:
        if unit.startswith("\x1b"):
            style = "" if unit == RESET else unit
    return style


def _close(opening: str, units: list[str]) -> tuple[str, str]:
    """The finished piece and the style still open at its end."""
    style = _active(units, opening)
    return opening + "".join(units) + (RESET if style else ""), style


def _word_break(units: list[str], columns: int) -> int | None:
    """Where to break a line of Latin text: after its last space, unless that is far back.

    Chinese has no spaces and may break between any two characters, as it is typeset.
    """
    for index in range(len(units) - 1, 0, -1):
        if units[index] == " ":
            tail = "".join(units[index + 1 :])
            if width(tail) <= columns // 3 and all(char_width(c) < 2 for c in tail):
                return index
            return None
    return None


def wrap(line: str, columns: int) -> list[str]:
    """Split one line (without newlines) into pieces at most ``columns`` wide."""
    pieces: list[str] = []
    current: list[str] = []
    opening = ""
    used = 0
    for unit in _units(line):
        if unit.startswith("\x1b"):
            current.append(unit)
            continue
        size = char_width(unit)
        if used + size <= columns or used == 0:
            current.append(unit)
            used += size
            continue
        # A space at the break is dropped; otherwise the last word moves down if it is short.
        cut = None if unit == " " else _word_break(current, columns)
        head, tail = (current, []) if cut is None else (current[:cut], current[cut + 1 :])
        piece, opening = _close(opening, head)
        pieces.append(piece)
        current = tail if unit == " " else [*tail, unit]
        used = width("".join(current))
    pieces.append(_close(opening, current)[0])
    return pieces


def split_lines(text: str) -> list[str]:
    """``text`` split at newlines, each line closing its style and the next reopening it."""
    lines: list[str] = []
    style = ""
    for line in text.split("\n"):
        piece, style = _close(style, list(_units(line)))
        lines.append(piece)
    return lines
