"""Calls to the Bot API that Telegram asked us to slow down, or that failed in transit, retried.

429 carries `retry_after`: the call was not executed, so waiting and repeating is safe. A server
error or a network failure may hide a call that did succeed; repeating it risks a duplicate
message, which is better than a lost one. getUpdates is left to the poller's own backoff.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType

log = logging.getLogger(__name__)


class RetryMiddleware(BaseRequestMiddleware):
    def __init__(
        self, *, attempts: int = 5, base_delay: float = 0.5, max_wait: float = 60.0
    ) -> None:
        self._attempts = attempts
        self._base_delay = base_delay
        self._max_wait = max_wait

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if method.__api_method__ == GetUpdates.__api_method__:
            return await make_request(bot, method)
        for attempt in range(1, self._attempts):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                delay = float(exc.retry_after)
                if delay > self._max_wait:
                    raise
                log.info("%s: flood control, waiting %.0f s", type(method).__name__, delay)
            except (TelegramServerError, TelegramNetworkError) as exc:
                delay = self._base_delay * 2 ** (attempt - 1)
                log.warning(
                    "%s failed (%s); retry in %.1f s",
                    type(method).__name__,
                    type(exc).__name__,
                    delay,
                )
            await asyncio.sleep(delay)
        return await make_request(bot, method)
