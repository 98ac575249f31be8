"""Stored files: uploads, file_id reuse, loopback URLs, and what getFile reports."""

from __future__ import annotations

import hashlib
import ipaddress
import mimetypes
import struct
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

import aiohttp

from bot.emulator.errors import JsonDict, bad_request
from bot.emulator.params import Upload

THUMBNAIL_SIDE = 320
_FOLDERS = {"photo": "photos", "document": "documents"}


@dataclass(frozen=True, slots=True)
class FileRecord:
    file_id: str
    file_unique_id: str
    kind: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int = 0
    height: int = 0

    def to_file(self) -> JsonDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }

    def to_document(self) -> JsonDict:
        document: JsonDict = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name:
            document["file_name"] = self.file_name
        if self.mime_type:
            document["mime_type"] = self.mime_type
        return document | {"file_size": len(self.data)}

    def to_photo_size(self) -> JsonDict:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "width": self.width,
            "height": self.height,
        }


def is_loopback_url(url: str) -> bool:
    """The emulator only ever connects to this machine's loopback interface."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG, GIF or JPEG, read from its header."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return int(width), int(height)
    if not data.startswith(b"\xff\xd8"):
        return None
    index = 2
    while index + 9 < len(data) and data[index] == 0xFF:
        marker = data[index + 1]
        (length,) = struct.unpack(">H", data[index + 2 : index + 4])
        # Start-of-frame markers carry the size; C4, C8 and CC are other tables.
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5 : index + 9])
            return int(width), int(height)
        index += 2 + int(length)
    return None


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, FileRecord] = {}
        self._by_path: dict[str, FileRecord] = {}

    def get(self, file_id: str) -> FileRecord | None:
        return self._by_id.get(file_id)

    def by_path(self, file_path: str) -> FileRecord | None:
        return self._by_path.get(file_path)

    def add(
        self,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        size: tuple[int, int] = (0, 0),
    ) -> FileRecord:
        number = len(self._by_id) + 1
        digest = hashlib.sha256(data).hexdigest()
        suffix = PurePosixPath(file_name or "").suffix or (".jpg" if kind == "photo" else "")
        record = FileRecord(
            file_id=f"{kind[:2].upper()}AC{number:06d}{digest[:24]}",
            # Same bytes, same unique id: Telegram's file_unique_id identifies the content.
            file_unique_id=f"AQAD{digest[:12]}{size[0]:x}",
            kind=kind,
            data=data,
            file_path=f"{_FOLDERS[kind]}/file_{number}{suffix}",
            file_name=file_name,
            mime_type=mime_type,
            width=size[0],
            height=size[1],
        )
        self._by_id[record.file_id] = record
        self._by_path[record.file_path] = record
        return record

    def add_photo(self, data: bytes) -> list[FileRecord]:
        """A photo as Telegram keeps it: a thumbnail for large images, then the original."""
        size = image_size(data)
        if size is None or 0 in size:
            raise bad_request("IMAGE_PROCESS_FAILED")
        sizes = []
        if max(size) > THUMBNAIL_SIDE:
            scale = THUMBNAIL_SIDE / max(size)
            thumb = (max(1, round(size[0] * scale)), max(1, round(size[1] * scale)))
            sizes.append(self.add("photo", data, size=thumb))
        sizes.append(self.add("photo", data, size=size))
        return sizes

    def add_document(self, upload: Upload) -> FileRecord:
        guessed = mimetypes.guess_type(upload.file_name)[0]
        mime = guessed or upload.content_type or "application/octet-stream"
        return self.add("document", upload.data, file_name=upload.file_name, mime_type=mime)

    async def fetch(self, url: str) -> Upload:
        """Download a file given by URL; only loopback URLs are ever fetched."""
        if not url.startswith(("http://", "https://")) or not is_loopback_url(url):
            raise bad_request("failed to get HTTP URL content")
        try:
            async with aiohttp.ClientSession() as session, session.get(url) as response:
                if response.status != 200:
                    raise bad_request("failed to get HTTP URL content")
                data = await response.read()
                content_type = response.content_type
        except aiohttp.ClientError as error:
            raise bad_request("failed to get HTTP URL content") from error
        name = PurePosixPath(urlsplit(url).path).name or "file"
        return Upload(name, data, content_type)

    def reuse(self, file_id: str, kind: str) -> FileRecord:
        record = self.get(file_id)
        if record is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if record.kind != kind:
            raise bad_request(f"can't use file of type {record.kind.title()} as {kind.title()}")
        return record
