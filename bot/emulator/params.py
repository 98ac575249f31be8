"""Bot API call parameters from JSON, urlencoded and multipart bodies, plus the query string.

Form bodies carry every value as a string and object-typed fields (reply_markup, scope, ...) as
JSON text, so the getters coerce the way Telegram does instead of trusting the transport.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.web_request import FileField

from bot.emulator.errors import ApiError, JsonDict, bad_request

ChatRef = int | str


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a multipart body."""

    file_name: str
    data: bytes
    content_type: str


class Params:
    """Typed access to one call's parameters, answering 400 where Telegram would."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    def raw(self, name: str) -> Any:
        value = self.values.get(name)
        return None if value == "" else value

    def has(self, name: str) -> bool:
        return self.raw(name) is not None or name in self.uploads

    def opt_string(self, name: str) -> str | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            raise bad_request(f'field "{name}" must be of type String')
        return str(value)

    def string(self, name: str) -> str:
        value = self.opt_string(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def opt_integer(self, name: str) -> int | None:
        value = self.raw(name)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        raise bad_request(f'field "{name}" must be of type Integer')

    def integer(self, name: str) -> int:
        value = self.opt_integer(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        return value

    def number(self, name: str) -> float:
        value = self.raw(name)
        try:
            return float(value)
        except (TypeError, ValueError) as error:
            raise bad_request(f'field "{name}" must be of type Float') from error

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.raw(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1"):
            return True
        if str(value).lower() in ("false", "0"):
            return False
        raise bad_request(f'field "{name}" must be of type Boolean')

    def json(self, name: str) -> Any:
        """An object-typed field, decoded when a form body sent it as JSON text."""
        value = self.raw(name)
        if not isinstance(value, str):
            return value
        try:
            return json.loads(value)
        except ValueError as error:
            raise bad_request(f"can't parse {name} JSON object") from error

    def chat_id(self, name: str = "chat_id") -> ChatRef:
        value = self.raw(name)
        if value is None:
            raise bad_request(f"{name} is empty")
        if isinstance(value, str) and value.startswith("@"):
            return value
        number = self.opt_integer(name)
        if number is None:
            raise bad_request("chat not found")
        return number

    def file(self, name: str) -> Upload | str:
        """An InputFile: an uploaded part (directly or via attach://) or a file_id/URL string."""
        if name in self.uploads:
            return self.uploads[name]
        reference = self.string(name)
        if reference.startswith("attach://"):
            attached = self.uploads.get(reference.removeprefix("attach://"))
            if attached is None:
                raise bad_request(f'can\'t find attached file "{reference}"')
            return attached
        return reference


async def read_params(request: web.Request) -> Params:
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if not request.can_read_body:
        return Params(values)
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError as error:
            raise bad_request("can't parse JSON object") from error
        if not isinstance(body, dict):
            raise bad_request("can't parse JSON object")
        values.update(body)
    elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            form = await request.post()
        except web.HTTPRequestEntityTooLarge as error:
            raise ApiError(413, "Request Entity Too Large") from error
        for key, value in form.items():
            if isinstance(value, FileField):
                name = value.filename or key
                uploads[key] = Upload(name, value.file.read(), value.content_type)
            else:
                values[key] = value
    return Params(values, uploads)


def json_body(result: Any) -> JsonDict:
    return {"ok": True, "result": result}
