"""Telegram's flood limits and the emulator's seeded fault injection."""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from bot.emulator.errors import ApiError, too_many_requests
from bot.emulator.settings import FaultKind, FaultSettings, RateLimits

T = TypeVar("T")
# Injected 429s remembered with their time, for a benchmark to tell the pauses they asked for.
PAUSES_KEPT = 10_000
Clock = Callable[[], float]


class TokenBucket:
    __slots__ = ("capacity", "rate", "stamp", "tokens")

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self.tokens = capacity
        self.stamp = now

    def wait_time(self, now: float) -> float:
        """Seconds until one token is available; refills first."""
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        return 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate

    def take(self) -> None:
        self.tokens -= 1


class RateLimiter:
    """Per-bot, per-private-chat and per-group buckets; a message needs a token from each."""

    def __init__(self, limits: RateLimits, clock: Clock = time.monotonic) -> None:
        self.clock = clock
        self.configure(limits)

    def configure(self, limits: RateLimits) -> None:
        self.limits = limits
        self._buckets: dict[tuple[int, int | None], TokenBucket] = {}

    def _bucket(self, key: tuple[int, int | None], capacity: int, rate: float) -> TokenBucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(capacity, rate, self.clock())
        return bucket

    def check(self, bot_id: int, chat_id: int, *, private: bool) -> None:
        """Take a token for one message or raise 429 with the whole seconds to wait."""
        limits = self.limits
        if not limits.enabled:
            return
        overall = self._bucket((bot_id, None), limits.bot_burst, limits.bot_per_second)
        if private:
            chat = self._bucket((bot_id, chat_id), limits.private_burst, limits.private_per_second)
        else:
            chat = self._bucket((bot_id, chat_id), limits.group_burst, limits.group_per_minute / 60)
        now = self.clock()
        wait = max(overall.wait_time(now), chat.wait_time(now))
        if wait > 0:
            # Telegram always asks for at least a second, in whole seconds.
            raise too_many_requests(max(1, math.ceil(wait)))
        overall.take()
        chat.take()


class FaultInjector:
    """Fails a seeded share of calls with 429, 502 or a hung request."""

    def __init__(self, settings: FaultSettings) -> None:
        self.injected: Counter[str] = Counter()
        # (wall-clock time, retry_after) of each injected 429, newest last: the pause it asked.
        self.pauses: deque[tuple[float, int]] = deque(maxlen=PAUSES_KEPT)
        self.configure(settings)

    def configure(self, settings: FaultSettings) -> None:
        self.settings = settings
        # Seeded so a benchmark run can be repeated fault for fault; not used for security.
        self._random = random.Random(settings.seed)  # noqa: S311

    def draw(self, method: str) -> FaultKind | None:
        settings = self.settings
        if settings.share <= 0 or (settings.methods and method not in settings.methods):
            return None
        if self._random.random() >= settings.share:
            return None
        kind = self._random.choice(settings.kinds)
        self.injected[kind.value] += 1
        return kind

    def _retry_after(self) -> int:
        low, high = self.settings.retry_after, self.settings.retry_after_max
        return low if high is None else self._random.randint(low, high)

    async def run(self, method: str, call: Callable[[], Awaitable[T]]) -> T:
        """Run ``call`` unless the draw for this call says to fail it."""
        kind = self.draw(method)
        settings = self.settings
        if kind is None:
            return await call()
        if kind is FaultKind.TOO_MANY_REQUESTS:
            retry_after = self._retry_after()
            self.pauses.append((time.time(), retry_after))
            raise too_many_requests(retry_after)
        if kind is FaultKind.BAD_GATEWAY:
            raise ApiError(502, "Bad Gateway")
        if settings.timeout_delivers:
            result = await call()
            await asyncio.sleep(settings.timeout_delay)
            return result
        await asyncio.sleep(settings.timeout_delay)
        raise ApiError(504, "Gateway Timeout")


def counters_json(injected: Counter[str]) -> dict[str, Any]:
    return {kind.value: injected.get(kind.value, 0) for kind in FaultKind}
