"""Calls to the Bot API that Telegram asked us to slow down, or that failed in transit, retried.

429 carries `retry_after`: the call was not executed, so waiting and repeating is safe, as often
as Telegram asks (the wait itself is the budget's shared pause: bot.budget). A server error or a
network failure may hide a call that did succeed; repeating it risks a duplicate message, which
is better than a lost one: these back off exponentially, then the error is raised.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    # Tries of a call failing in transit, the first included.
    attempts: int = 5
    base_delay: float = 0.5
    # A longer flood wait is not done in line: the caller keeps what it was sending for later.
    max_wait: float = 60.0


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    name: str,
    policy: RetryPolicy,
    on_flood: Callable[[float], Awaitable[None]],
) -> T:
    """`call` until it succeeds: after a 429, once `on_flood(retry_after)` has returned; after a
    transient failure, once backed off, up to the policy's attempts."""
    failures = 0
    while True:
        try:
            return await call()
        except TelegramRetryAfter as exc:
            delay = float(exc.retry_after)
            if delay > policy.max_wait:
                raise
            log.info("%s: flood control, waiting %.0f s", name, delay)
            await on_flood(delay)
        except (TelegramServerError, TelegramNetworkError) as exc:
            failures += 1
            if failures >= policy.attempts:
                raise
            delay = policy.base_delay * 2 ** (failures - 1)
            log.warning("%s failed (%s); retry in %.1f s", name, type(exc).__name__, delay)
            await asyncio.sleep(delay)
