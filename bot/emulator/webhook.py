"""Pushes a bot's updates to its webhook: one at a time, in order, retried with backoff."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable

import aiohttp

from bot.emulator.errors import JsonDict
from bot.emulator.settings import EmulatorSettings
from bot.emulator.state import BotState

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name, not a secret
# Telegram executes a Bot API call that a webhook returns as its response body.
ReplyHandler = Callable[[BotState, JsonDict], Awaitable[None]]


def _method_in_reply(content_type: str, body: bytes) -> JsonDict | None:
    if content_type != "application/json" or not body:
        return None
    try:
        reply = json.loads(body)
    except ValueError:
        return None
    if isinstance(reply, dict) and isinstance(reply.get("method"), str):
        return reply
    return None


class WebhookPusher:
    def __init__(self, bot: BotState, settings: EmulatorSettings, on_reply: ReplyHandler) -> None:
        self.bot = bot
        self.settings = settings
        self.on_reply = on_reply
        self.deliveries = 0
        self.failures = 0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=f"webhook-{self.bot.id}")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            if task is asyncio.current_task():
                return  # a webhook reply called deleteWebhook: the pusher ends itself
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=self.settings.webhook_request_timeout)
        delay = self.settings.webhook_retry_initial
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                update = await self.bot.updates.wait_for_any()
                config = self.bot.webhook
                if config is None:
                    return
                error, reply = await self._post(session, config.url, config.secret_token, update)
                if error is None:
                    self.deliveries += 1
                    self.bot.updates.remove(update["update_id"])
                    delay = self.settings.webhook_retry_initial
                    if reply is not None:
                        await self._run_reply(reply)
                    continue
                # The same update is retried until it is accepted, so order is preserved.
                self.failures += 1
                config.last_error_date = int(time.time())
                config.last_error_message = error
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.settings.webhook_retry_max)

    async def _post(
        self, session: aiohttp.ClientSession, url: str, secret: str | None, update: JsonDict
    ) -> tuple[str | None, JsonDict | None]:
        headers = {SECRET_HEADER: secret} if secret else {}
        try:
            async with session.post(url, json=update, headers=headers) as response:
                body = await response.read()
                if not 200 <= response.status < 300:
                    status = f"{response.status} {response.reason or ''}".strip()
                    return f"Wrong response from the webhook: {status}", None
                return None, _method_in_reply(response.content_type, body)
        except aiohttp.ClientConnectorError:
            return "Connection refused", None
        except TimeoutError:
            return "Read timeout expired", None
        except aiohttp.ClientError as error:
            return f"Connection error: {type(error).__name__}", None

    async def _run_reply(self, reply: JsonDict) -> None:
        try:
            await self.on_reply(self.bot, reply)
        except Exception:
            # Telegram never reports a failed reply-call back to the bot; log and go on.
            logger.exception("webhook reply %s failed", reply.get("method"))
