"""MessageEntity values as Telegram measures them: UTF-16 offsets and normalised links."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from bot.emulator.errors import JsonDict

UserResolver = Callable[[int], JsonDict | None]


def utf16_len(text: str) -> int:
    """Telegram counts offsets in UTF-16 code units: an emoji outside the BMP counts two."""
    return len(text.encode("utf-16-le")) // 2


@dataclass(slots=True)
class Entity:
    type: str
    offset: int
    length: int
    extra: JsonDict = field(default_factory=dict)

    @property
    def end(self) -> int:
        return self.offset + self.length


def normalize_url(url: str) -> str | None:
    """A link target as Telegram stores it, or None for one it drops: no scheme means http,
    an empty path becomes "/", and only web, tg: and ton: links are kept."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return None
    if "://" not in url and not url.startswith(("tg:", "ton:")):
        url = "http://" + url
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        if not parts.netloc:
            return None
        return urlunsplit(parts._replace(path=parts.path or "/"))
    return url if parts.scheme in ("tg", "ton") else None
