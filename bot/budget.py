"""Every call that sends or edits a message goes through the bot token's one budget.

`BudgetMiddleware` sits on the bot's session (bot.app.build_bot), so answers sent after their
update's commit (bot.outbox), the leftover sweep and deliveries all take their slot from the same
`Budget` (bot.budget_slots): answers first, deliveries (`with lane(Lane.delivery): ...`) after,
every chat at its own pace, and one shared pause after a 429. Calls that are not messages
(bot.budget_rules.target_of) bypass the slots but are still retried.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, TypeVar
from weakref import WeakKeyDictionary

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import GetUpdates, Response, TelegramMethod
from aiogram.methods.base import TelegramType

from bot.budget_rules import BudgetLimits, Lane, Target, TokenBucket, target_of
from bot.budget_slots import Budget, LongPause
from bot.retry import RetryPolicy, with_retries

__all__ = [
    "Budget",
    "BudgetLimits",
    "BudgetMiddleware",
    "Lane",
    "budget_for",
    "current_lane",
    "lane",
]

T = TypeVar("T")
_lane: ContextVar[Lane] = ContextVar("budget_lane", default=Lane.answer)


def current_lane() -> Lane:
    """The lane a call made here would take."""
    return _lane.get()


@contextmanager
def lane(which: Lane) -> Iterator[None]:
    """Calls made inside go through `which` lane; calls made outside any lane are answers."""
    token = _lane.set(which)
    try:
        yield
    finally:
        _lane.reset(token)


# Per event loop (asyncio objects belong to one), per bot id: one budget per token.
_budgets: WeakKeyDictionary[asyncio.AbstractEventLoop, dict[int, Budget]] = WeakKeyDictionary()


def budget_for(bot: Bot, limits: BudgetLimits, *, longest_wait: float = float("inf")) -> Budget:
    """The budget of `bot`'s token, made with `limits` by the first caller."""
    budgets = _budgets.setdefault(asyncio.get_running_loop(), {})
    budget = budgets.get(bot.id)
    if budget is None:
        budget = budgets[bot.id] = Budget(limits, longest_wait=longest_wait)
    return budget


class BudgetMiddleware(BaseRequestMiddleware):
    """Bot session middleware: a slot of the token's budget for each message, and retries.

    `send` is the same for a request made outside aiogram's session (bot.deliveries.wire)."""

    def __init__(
        self, limits: BudgetLimits | None = None, *, policy: RetryPolicy | None = None
    ) -> None:
        self._limits = limits or BudgetLimits()
        self._policy = policy or RetryPolicy()

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        if method.__api_method__ == GetUpdates.__api_method__:
            # Long polling has its own backoff (bot.polling) and sends nothing.
            return await make_request(bot, method)
        return await self.send(
            bot,
            target_of(method),
            lambda: make_request(bot, method),
            name=type(method).__name__,
            method=lambda: method,
        )

    async def send(
        self,
        bot: Bot,
        target: Target | None,
        request: Callable[[], Awaitable[T]],
        *,
        name: str,
        method: Callable[[], TelegramMethod[Any]],
    ) -> T:
        """`request` for `target` (None: not a message) in a slot of `bot`'s budget, retried
        after 429s and transient failures; `method` names the call in the errors raised."""
        budget = budget_for(bot, self._limits, longest_wait=self._policy.max_wait)
        try:
            if target is None:
                return await with_retries(
                    request, name=name, policy=self._policy, on_flood=partial(_wait_alone, budget)
                )
            async with budget.chat(target) as chat:
                return await self._send(budget, chat, target, request, name)
        except LongPause as exc:
            # Paused already, for longer than a sender waits: refused here, and the pause is
            # left as it is (pausing again for the time left would push its end further).
            left = math.ceil(exc.seconds)
            raise TelegramRetryAfter(
                method(), f"Too Many Requests: retry after {left}", left
            ) from None
        except TelegramRetryAfter as exc:
            # Telegram's own, too long to wait in line; nobody else may send meanwhile either.
            budget.pause(exc.retry_after)
            raise

    async def _send(
        self,
        budget: Budget,
        chat: TokenBucket | None,
        target: Target,
        request: Callable[[], Awaitable[T]],
        name: str,
    ) -> T:
        which = _lane.get()
        tries = 0

        async def send() -> T:
            nonlocal tries
            await budget.slot(which, target, chat, retry=tries > 0)
            tries += 1
            return await request()

        async def shared_pause(seconds: float) -> None:
            # The next try waits in its lane for the pause to pass, with everybody else.
            budget.pause(seconds)

        return await with_retries(send, name=name, policy=self._policy, on_flood=shared_pause)


async def _wait_alone(budget: Budget, seconds: float) -> None:
    budget.pause(seconds)
    await asyncio.sleep(seconds)
