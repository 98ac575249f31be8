"""Small builders shared by the emulator tests."""

from __future__ import annotations

import json
import struct
import zlib
from typing import Any

import httpx

JsonDict = dict[str, Any]


def png_bytes(width: int, height: int) -> bytes:
    """A valid greyscale PNG of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def inline_keyboard(*buttons: tuple[str, str]) -> JsonDict:
    return {"inline_keyboard": [[{"text": text, "callback_data": data} for text, data in buttons]]}


class BotApi:
    """Raw Bot API calls over HTTP, as a bot library would make them."""

    def __init__(self, http: httpx.AsyncClient, token: str) -> None:
        self.http = http
        self.token = token

    async def raw(self, method: str, token: str | None = None, **params: Any) -> httpx.Response:
        return await self.http.post(f"/bot{token or self.token}/{method}", json=params)

    async def form(self, method: str, **params: Any) -> httpx.Response:
        """As aiogram sends: every value a string, objects as JSON text."""
        fields = {
            key: value if isinstance(value, str) else json.dumps(value)
            for key, value in params.items()
        }
        return await self.http.post(f"/bot{self.token}/{method}", data=fields)

    async def ok(self, method: str, **params: Any) -> Any:
        response = await self.raw(method, **params)
        body = response.json()
        assert response.status_code == 200, body
        assert body["ok"] is True
        return body["result"]

    async def error(self, method: str, **params: Any) -> tuple[int, str, JsonDict]:
        """Status, description and the whole body of a call that must fail."""
        response = await self.raw(method, **params)
        body = response.json()
        assert body["ok"] is False, body
        assert body["error_code"] == response.status_code
        return response.status_code, body["description"], body
