"""The emulator's HTTP server: the Bot API, file downloads and the control API on one port."""

from __future__ import annotations

import asyncio
import logging
import socket
from types import TracebackType
from typing import Self

from aiohttp import web

from bot.emulator.api import BotApi, bot_id_from_token
from bot.emulator.control import add_control_routes
from bot.emulator.errors import ApiError, not_found
from bot.emulator.params import json_body, read_params
from bot.emulator.settings import EmulatorSettings
from bot.emulator.state import EmulatorState
from bot.emulator.users import UserSide
from bot.emulator.webhook import WebhookPusher

logger = logging.getLogger(__name__)

STATE_KEY = web.AppKey("emulator_state", EmulatorState)
# In-flight long polls and hung fault requests must not hold shutdown for their full length.
_SHUTDOWN_TIMEOUT = 0.5


def _error(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.error_code)


def create_app(state: EmulatorState) -> web.Application:
    """An aiohttp application serving ``state``; run it with any aiohttp runner."""
    api = BotApi(state)
    slack = 1024 * 1024  # room for the multipart framing around the largest upload
    app = web.Application(client_max_size=state.settings.max_upload_bytes + slack)
    app[STATE_KEY] = state

    async def bot_method(request: web.Request) -> web.Response:
        try:
            token = request.match_info["token"]
            bot_id_from_token(token)
            params = await read_params(request)
            result = await api.call(token, request.match_info["method"], params)
        except ApiError as error:
            return _error(error)
        return web.json_response(json_body(result))

    async def download(request: web.Request) -> web.Response:
        try:
            bot_id_from_token(request.match_info["token"])
        except ApiError as error:
            return _error(error)
        record = state.files.by_path(request.match_info["path"])
        if record is None:
            return _error(not_found())
        return web.Response(body=record.data, content_type=record.mime_type or "image/jpeg")

    async def unknown(request: web.Request) -> web.Response:
        return _error(not_found())

    async def resume_webhooks(app: web.Application) -> None:
        # A state can outlive one server (stop, then start again): keep its webhooks served.
        for bot in state.bots.values():
            if bot.webhook is not None and bot.pusher is None:
                bot.pusher = WebhookPusher(bot, state.settings, api.webhook_reply)
                bot.pusher.start()

    async def close_state(app: web.Application) -> None:
        await state.aclose()

    add_control_routes(app, state)
    app.router.add_route("*", "/bot{token}/{method}", bot_method)
    app.router.add_get("/file/bot{token}/{path:.+}", download)
    app.router.add_route("*", "/{tail:.*}", unknown)
    app.on_startup.append(resume_webhooks)
    app.on_cleanup.append(close_state)
    return app


class Emulator:
    """A running emulator: ``async with Emulator() as emulator: emulator.base_url``.

    Port 0 picks a free port; ``base_url`` then reports the one chosen. Binds loopback only
    unless told otherwise.
    """

    def __init__(
        self,
        state: EmulatorState | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        settings: EmulatorSettings | None = None,
    ) -> None:
        self.state = state if state is not None else EmulatorState(settings)
        self.users = UserSide(self.state)
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def token(self) -> str:
        """A token for the default bot, the one ``users`` talks to."""
        return self.state.default_token()

    def method_url(self, method: str, token: str | None = None) -> str:
        return f"{self.base_url}/bot{token or self.token}/{method}"

    async def start(self) -> None:
        runner = web.AppRunner(
            create_app(self.state), access_log=None, shutdown_timeout=_SHUTDOWN_TIMEOUT
        )
        await runner.setup()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            site = web.SockSite(runner, sock)
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self.port = int(sock.getsockname()[1])
        self._runner = runner

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()


async def serve(
    host: str = "127.0.0.1", port: int = 8081, settings: EmulatorSettings | None = None
) -> None:
    """Run an emulator until cancelled."""
    async with Emulator(host=host, port=port, settings=settings) as emulator:
        logger.info(
            "Bot API emulator at %s; default bot token %s", emulator.base_url, emulator.token
        )
        await asyncio.Event().wait()
