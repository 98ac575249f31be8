"""Small pieces of the issue format: cleaning a line of Markdown, joining print line breaks,
and the patterns that recognise a part of an issue. Pure functions."""

from __future__ import annotations

import re
import unicodedata

# `\*` and the like: a Markdown escape of a punctuation character.
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~])")
_SPACES = re.compile(r"\s+")

HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+?)\s*#*$")
RULE = re.compile(r"^(?:-{3,}|\*{3,}|_{3,})$")
# A list item: `* `, `\* `, `- `, `+ `, or a printed bullet.
BULLET = re.compile(r"^(?:\\?[*+-]\s+|[•·●○◆◇■□▪]\s*)(?P<text>.+)$")
NUMBER = re.compile(
    r"^(?:(?P<year>\d{4})\s*年\s*)?第\s*(?P<number>[^\s期]{1,8})\s*期"
    r"(?:\s*[（(]总第\s*\d+\s*期[）)])?$"
)
DATE = re.compile(
    r"^(?P<before>.*?)\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日$"
)
NOTE = re.compile(r"^(?:[【\[]?\s*编者按\s*[】\]]?|editor'?s note)\s*[：:]?\s*(?P<text>.*)$", re.I)
CONTENTS_TITLE = re.compile(r"^(?:目\s*录|本期要目|本期目录|contents)\s*[：:]?$", re.I)
# A place ends as places are named (洛阳市, 镇平县, 济源示范区); 代表风采： is a column.
PLACE = re.compile(
    r"^(?P<place>[^\s：:，,。、；;“”\"]{1,11}(?:[省市县区镇乡州旗盟村]|街道|社区))\s*[：:]\s*(?P<rest>\S.*)$"
)
SOURCE = re.compile(r"^[（(][^（）()]{2,120}[）)]$")
DISTRIBUTION = re.compile(
    r"^(?:(?:抄送|抄报|报送|分送|送|发|报)\s*[：:]|[^。！？]{0,80}(?:印发|共印\s*\d+\s*份)\s*$)"
)
COPIES = re.compile(r"共印\s*(\d+)\s*份")

# A paragraph ending in one of these is finished; one ending otherwise was cut by a page break
# if it ends in a pause (、，) or is long enough not to be a subheading such as 一、提高政治站位.
_CLOSING = set("。！？；：…”’）」』》】.!?;:)\"'")
_PAUSE = set("、，,《“‘（(—-")
CUT_PARAGRAPH_MIN = 40


def clean(text: str) -> str:
    """A line of the Markdown form as plain text: bold markers and escapes removed."""
    return _ESCAPE.sub(r"\1", text.replace("**", "")).strip()


def folded(text: str) -> str:
    """Full-width digits and letters as ASCII, for the number and date lines."""
    return unicodedata.normalize("NFKC", text)


def _wide(char: str) -> bool:
    return not char.isascii()


def unbreak(text: str) -> str:
    """Remove print line breaks: whitespace next to a Chinese character goes, whitespace between
    Latin words becomes one space (组织驻洛省…代表 开展… → 组织驻洛省…代表开展…)."""
    parts: list[str] = []
    last = 0
    for match in _SPACES.finditer(text):
        before = text[match.start() - 1] if match.start() > 0 else ""
        after = text[match.end()] if match.end() < len(text) else ""
        parts.append(text[last : match.start()])
        if before and after and not _wide(before) and not _wide(after):
            parts.append(" ")
        last = match.end()
    parts.append(text[last:])
    return "".join(parts).strip()


def join(first: str, second: str) -> str:
    """Two pieces of one paragraph: no space between Chinese, one between Latin words."""
    if first and second and not _wide(first[-1]) and not _wide(second[0]):
        return f"{first} {second}"
    return first + second


def continues(paragraph: str) -> bool:
    """Whether a paragraph was cut by a page break and the next one is its rest."""
    last = paragraph[-1:]
    if not last or last in _CLOSING:
        return False
    return last in _PAUSE or len(paragraph) >= CUT_PARAGRAPH_MIN


def key(text: str) -> str:
    """How a heading and its contents entry are compared: no spaces, no place prefix."""
    flat = _SPACES.sub("", text)
    found = PLACE.match(flat)
    return found.group("rest") if found else flat


def place_of(text: str) -> str | None:
    found = PLACE.match(text)
    return found.group("place") if found else None


def excerpt(text: str, limit: int = 30) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
