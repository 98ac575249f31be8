"""The control API under /_emulator/: the users' side and the knobs, as JSON over HTTP.

Every route answers ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": "..."}``;
``?bot_id=`` picks another bot than the default one.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.emulator.errors import ApiError, UserSideError
from bot.emulator.settings import FaultKind, FaultSettings, RateLimits
from bot.emulator.state import EmulatorState
from bot.emulator.users import UserSide

PREFIX = "/_emulator"
Body = dict[str, Any]
Route = Callable[[web.Request, UserSide, Body], Awaitable[Any]]


def _fail(status: int, error: str) -> web.Response:
    return web.json_response({"ok": False, "error": error}, status=status)


def _bytes(body: Body) -> bytes:
    try:
        return base64.b64decode(str(body["data_base64"]), validate=True)
    except (KeyError, binascii.Error) as error:
        raise UserSideError("data_base64 must hold the file's bytes in base64") from error


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


def _faults(body: Body) -> FaultSettings:
    fields = dict(body)
    if "kinds" in fields:
        fields["kinds"] = tuple(FaultKind(kind) for kind in fields["kinds"])
    if "methods" in fields:
        fields["methods"] = frozenset(str(method).lower() for method in fields["methods"])
    return FaultSettings(**fields)


def _int_param(request: web.Request, name: str) -> int:
    return int(request.match_info[name])


async def create_user(request: web.Request, users: UserSide, body: Body) -> Any:
    return users.create_user(
        str(body["first_name"]),
        last_name=body.get("last_name"),
        username=body.get("username"),
        language_code=body.get("language_code"),
        user_id=_optional_int(body.get("id")),
    )


async def create_group(request: web.Request, users: UserSide, body: Body) -> Any:
    members = [int(member) for member in body.get("member_ids", [])]
    return users.create_group(
        str(body["title"]),
        members,
        group_type=str(body.get("type", "supergroup")),
        username=body.get("username"),
    )


async def send_message(request: web.Request, users: UserSide, body: Body) -> Any:
    return users.send_message(
        _int_param(request, "user_id"),
        str(body["text"]),
        chat_id=_optional_int(body.get("chat_id")),
        reply_to=_optional_int(body.get("reply_to_message_id")),
    )


async def send_command(request: web.Request, users: UserSide, body: Body) -> Any:
    return users.send_command(
        _int_param(request, "user_id"),
        str(body["command"]),
        str(body.get("args", "")),
        chat_id=_optional_int(body.get("chat_id")),
    )


async def send_photo(request: web.Request, users: UserSide, body: Body) -> Any:
    return users.send_photo(
        _int_param(request, "user_id"),
        _bytes(body),
        caption=body.get("caption"),
        chat_id=_optional_int(body.get("chat_id")),
    )


async def send_document(request: web.Request, users: UserSide, body: Body) -> Any:
    return users.send_document(
        _int_param(request, "user_id"),
        _bytes(body),
        str(body["file_name"]),
        mime_type=body.get("mime_type"),
        caption=body.get("caption"),
        chat_id=_optional_int(body.get("chat_id")),
    )


async def send_location(request: web.Request, users: UserSide, body: Body) -> Any:
    return users.send_location(
        _int_param(request, "user_id"),
        float(body["latitude"]),
        float(body["longitude"]),
        chat_id=_optional_int(body.get("chat_id")),
    )


async def press_button(request: web.Request, users: UserSide, body: Body) -> Any:
    callback_id = users.press_button(
        _int_param(request, "user_id"),
        int(body["message_id"]),
        data=body.get("callback_data"),
        text=body.get("text"),
        chat_id=_optional_int(body.get("chat_id")),
    )
    return {"callback_query_id": callback_id}


async def block(request: web.Request, users: UserSide, body: Body) -> Any:
    users.block(_int_param(request, "user_id"))
    return True


async def unblock(request: web.Request, users: UserSide, body: Body) -> Any:
    users.unblock(_int_param(request, "user_id"))
    return True


async def chat_messages(request: web.Request, users: UserSide, body: Body) -> Any:
    include = request.query.get("include_user_messages", "false").lower() in ("1", "true")
    return users.messages(_int_param(request, "chat_id"), include_user_messages=include)


async def next_message(request: web.Request, users: UserSide, body: Body) -> Any:
    wait = float(request.query.get("timeout", "5"))
    return await users.next_message(_int_param(request, "chat_id"), wait_seconds=wait)


async def callback_answer(request: web.Request, users: UserSide, body: Body) -> Any:
    return users.callback_answer(request.match_info["callback_query_id"])


async def counters(request: web.Request, users: UserSide, body: Body) -> Any:
    return users.state.counters(users.bot)


async def info(request: web.Request, users: UserSide, body: Body) -> Any:
    return {"token": f"{users.bot.id}:emulator", "bot": users.bot.user}


async def set_faults(request: web.Request, users: UserSide, body: Body) -> Any:
    users.state.faults.configure(_faults(body))
    return True


async def set_limits(request: web.Request, users: UserSide, body: Body) -> Any:
    users.state.limiter.configure(RateLimits(**body))
    return True


ROUTES: list[tuple[str, str, Route]] = [
    ("GET", "/info", info),
    ("POST", "/users", create_user),
    ("POST", "/groups", create_group),
    ("POST", "/users/{user_id}/messages", send_message),
    ("POST", "/users/{user_id}/commands", send_command),
    ("POST", "/users/{user_id}/photos", send_photo),
    ("POST", "/users/{user_id}/documents", send_document),
    ("POST", "/users/{user_id}/locations", send_location),
    ("POST", "/users/{user_id}/button_presses", press_button),
    ("POST", "/users/{user_id}/block", block),
    ("POST", "/users/{user_id}/unblock", unblock),
    ("GET", "/chats/{chat_id}/messages", chat_messages),
    ("GET", "/chats/{chat_id}/next_message", next_message),
    ("GET", "/callbacks/{callback_query_id}", callback_answer),
    ("GET", "/counters", counters),
    ("PUT", "/faults", set_faults),
    ("PUT", "/limits", set_limits),
]


def _wrap(state: EmulatorState, route: Route) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def handle(request: web.Request) -> web.Response:
        try:
            body = await request.json() if request.can_read_body else {}
            if not isinstance(body, dict):
                return _fail(400, "the body must be a JSON object")
            bot_id = request.query.get("bot_id")
            users = UserSide(state, int(bot_id) if bot_id else None)
            result = await route(request, users, body)
        except UserSideError as error:
            return _fail(400, str(error))
        except ApiError as error:
            return _fail(error.error_code, error.description)
        except TimeoutError:
            return _fail(408, "no message arrived in time")
        except (KeyError, TypeError, ValueError) as error:
            return _fail(400, f"bad request: {error!r}")
        return web.json_response({"ok": True, "result": result})

    return handle


def add_control_routes(app: web.Application, state: EmulatorState) -> None:
    for method, path, route in ROUTES:
        app.router.add_route(method, PREFIX + path, _wrap(state, route))
