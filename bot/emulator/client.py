"""A thin client for the control API, for demos and benchmarks running in another process.

It mirrors ``UserSide``: the same actions and the same failures (``UserSideError``,
``TimeoutError`` when no message arrives in time).
"""

from __future__ import annotations

import base64
from types import TracebackType
from typing import Any, Self

import httpx

from bot.emulator.errors import JsonDict, UserSideError


class ControlError(UserSideError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class EmulatorClient:
    def __init__(
        self,
        base_url: str,
        *,
        bot_id: int | None = None,
        timeout: float = 10.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.timeout = timeout
        self._params = {"bot_id": str(bot_id)} if bot_id is not None else {}
        self._http = httpx.AsyncClient(
            base_url=f"{base_url.rstrip('/')}/_emulator", timeout=timeout, transport=transport
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def _call(
        self,
        method: str,
        path: str,
        body: JsonDict | None = None,
        *,
        query: dict[str, str] | None = None,
        read_seconds: float | None = None,
    ) -> Any:
        response = await self._http.request(
            method,
            path,
            json=body,
            params={**self._params, **(query or {})},
            timeout=read_seconds or self.timeout,
        )
        answer = response.json()
        if response.status_code == 408:
            raise TimeoutError(answer.get("error", "timed out"))
        if not answer.get("ok"):
            raise ControlError(response.status_code, str(answer.get("error")))
        return answer["result"]

    async def info(self) -> JsonDict:
        result: JsonDict = await self._call("GET", "/info")
        return result

    async def create_user(self, first_name: str, **fields: Any) -> JsonDict:
        """``fields``: last_name, username, language_code, id."""
        result: JsonDict = await self._call("POST", "/users", {"first_name": first_name, **fields})
        return result

    async def create_group(self, title: str, member_ids: list[int], **fields: Any) -> JsonDict:
        """``fields``: type ("group" or "supergroup"), username."""
        body = {"title": title, "member_ids": member_ids, **fields}
        result: JsonDict = await self._call("POST", "/groups", body)
        return result

    async def _user_action(self, user_id: int, action: str, body: JsonDict) -> Any:
        body = {key: value for key, value in body.items() if value is not None}
        return await self._call("POST", f"/users/{user_id}/{action}", body)

    async def send_message(
        self, user_id: int, text: str, *, chat_id: int | None = None, reply_to: int | None = None
    ) -> JsonDict:
        body = {"text": text, "chat_id": chat_id, "reply_to_message_id": reply_to}
        result: JsonDict = await self._user_action(user_id, "messages", body)
        return result

    async def send_command(
        self, user_id: int, command: str, args: str = "", *, chat_id: int | None = None
    ) -> JsonDict:
        body = {"command": command, "args": args, "chat_id": chat_id}
        result: JsonDict = await self._user_action(user_id, "commands", body)
        return result

    async def send_photo(
        self, user_id: int, data: bytes, *, caption: str | None = None, chat_id: int | None = None
    ) -> JsonDict:
        body = {"data_base64": base64.b64encode(data).decode(), "caption": caption}
        result: JsonDict = await self._user_action(user_id, "photos", body | {"chat_id": chat_id})
        return result

    async def send_document(
        self,
        user_id: int,
        data: bytes,
        file_name: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        chat_id: int | None = None,
    ) -> JsonDict:
        body = {
            "data_base64": base64.b64encode(data).decode(),
            "file_name": file_name,
            "mime_type": mime_type,
            "caption": caption,
            "chat_id": chat_id,
        }
        result: JsonDict = await self._user_action(user_id, "documents", body)
        return result

    async def send_location(
        self, user_id: int, latitude: float, longitude: float, *, chat_id: int | None = None
    ) -> JsonDict:
        body = {"latitude": latitude, "longitude": longitude, "chat_id": chat_id}
        result: JsonDict = await self._user_action(user_id, "locations", body)
        return result

    async def press_button(
        self,
        user_id: int,
        message_id: int,
        *,
        data: str | None = None,
        text: str | None = None,
        chat_id: int | None = None,
    ) -> str:
        body = {"message_id": message_id, "callback_data": data, "text": text, "chat_id": chat_id}
        result = await self._user_action(user_id, "button_presses", body)
        return str(result["callback_query_id"])

    async def block(self, user_id: int) -> None:
        await self._user_action(user_id, "block", {})

    async def unblock(self, user_id: int) -> None:
        await self._user_action(user_id, "unblock", {})

    async def messages(
        self, chat_id: int, *, include_user_messages: bool = False
    ) -> list[JsonDict]:
        query = {"include_user_messages": "true" if include_user_messages else "false"}
        result: list[JsonDict] = await self._call("GET", f"/chats/{chat_id}/messages", query=query)
        return result

    async def next_message(self, chat_id: int, wait_seconds: float = 5.0) -> JsonDict:
        result: JsonDict = await self._call(
            "GET",
            f"/chats/{chat_id}/next_message",
            query={"timeout": str(wait_seconds)},
            read_seconds=wait_seconds + self.timeout,
        )
        return result

    async def callback_answer(self, callback_query_id: str) -> JsonDict | None:
        result: JsonDict | None = await self._call("GET", f"/callbacks/{callback_query_id}")
        return result

    async def counters(self) -> JsonDict:
        result: JsonDict = await self._call("GET", "/counters")
        return result

    async def set_faults(self, **fields: Any) -> None:
        """``fields`` as in ``FaultSettings``: share, kinds, seed, timeout_delay, methods, ..."""
        await self._call("PUT", "/faults", fields)

    async def set_limits(self, **fields: Any) -> None:
        """``fields`` as in ``RateLimits``: enabled, private_per_second, ..."""
        await self._call("PUT", "/limits", fields)
