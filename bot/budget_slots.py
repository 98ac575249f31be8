"""One sending budget per bot token, shared by everything that sends: answers and deliveries.

Telegram limits the token, not the feature: about 30 messages a second in all, about one a
second per private chat (short bursts tolerated), 20 a minute per group. Every call that sends or
edits a message takes a slot here first (bot.budget.BudgetMiddleware); the slots are granted in two
lanes with a strict priority: an answer to someone who just wrote gets the next free slot before
any waiting delivery, and deliveries are held to DELIVERY_RATE so that answers keep headroom.
A 429 anywhere pauses every sender of both lanes until its retry_after has passed: one pause,
kept here as a monotonic deadline, rather than one per task.

A call first waits for its chat (a FIFO lock per chat, held until its request is done, so one
chat's messages leave in order and never faster than its rate) and only then joins its lane: a
chat's wait never holds up another chat.

One task grants the slots, sleeping until the next is due or until an answer or a 429 arrives.
The buckets are plain counters rather than aiolimiter's AsyncLimiter: that one lets each of its
waiters take capacity on its own schedule, while a slot here takes from three buckets at once
(the token's, the lane's, the chat's) at the moment the granter picks it, answers first.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from contextlib import AbstractAsyncContextManager, nullcontext, suppress
from dataclasses import dataclass, field
from types import TracebackType

from bot.budget_rules import GROUP_BURST, OVERALL_BURST, BudgetLimits, Lane, Target, TokenBucket

WAKES_PER_SECOND = 30
# The granter's shortest sleep while deliveries wait for their buckets to refill.
DELIVERY_WAKE_SECONDS = 1 / (2 * WAKES_PER_SECOND)
# Deliveries may take two slots at once after a pause of their own: the granter, woken late on a
# busy machine, would otherwise lose the time it overslept (a bucket of one holds nothing more),
# and 28/s became 26/s. Two a second ahead stays far inside the burst Telegram tolerates.
DELIVERY_BURST = 2.0
# Chats remembered before the idle ones (bucket full again, nobody waiting) are forgotten.
CHATS_KEPT = 4096


class LongPause(Exception):
    """A 429 asked for a pause longer than a sender waits in line: `seconds` left of it."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"paused for {seconds:.0f} s")
        self.seconds = seconds


@dataclass(slots=True)
class _Chat:
    bucket: TokenBucket
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class _Holding:
    """A chat held while one message goes (a class rather than a generator: it is on every
    message's path)."""

    __slots__ = ("_chat", "_new")

    def __init__(self, chat: _Chat, *, new: bool) -> None:
        self._chat = chat
        self._new = new

    async def __aenter__(self) -> TokenBucket | None:
        chat = self._chat
        chat.users += 1
        try:
            await chat.lock.acquire()
        except BaseException:
            chat.users -= 1
            raise
        return chat.bucket if self._new else None

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._chat.lock.release()
        self._chat.users -= 1


@dataclass(slots=True)
class _Waiter:
    future: asyncio.Future[None]
    chat: TokenBucket | None
    weight: int


class Budget:
    """The sending budget of one bot token (bot.budget.budget_for: one per token)."""

    def __init__(self, limits: BudgetLimits, *, longest_wait: float = float("inf")) -> None:
        now = time.monotonic()
        self.limits = limits
        # A pause longer than this is not waited out in line: waiters get LongPause.
        self.longest_wait = longest_wait
        # At high rates (paid broadcasts) a bucket holds a thirtieth of a second's worth, so that
        # slots are granted in batches rather than one wake-up per message.
        overall_burst = max(OVERALL_BURST, limits.send_rate / WAKES_PER_SECOND)
        self._overall = TokenBucket(limits.send_rate, overall_burst, now)
        delivery_burst = max(DELIVERY_BURST, limits.delivery_rate / WAKES_PER_SECOND)
        self._delivery = TokenBucket(limits.delivery_rate, delivery_burst, now)
        self._queues: dict[Lane, deque[_Waiter]] = {which: deque() for which in Lane}
        self._chats: dict[int | str, _Chat] = {}
        self._sweep_at = CHATS_KEPT
        self.paused_until = 0.0
        self._wake = asyncio.Event()
        self._granter: asyncio.Task[None] | None = None

    def pause(self, seconds: float) -> None:
        """Telegram said 429: nobody sends until `seconds` from now (a later deadline stands)."""
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)
        left = self.pause_left()
        if left > self.longest_wait:
            # Rather than hold them (a delivery's lease could run out meanwhile), every waiting
            # sender is told now, and keeps what it was sending for later.
            for queue in self._queues.values():
                for waiter in queue:
                    if not waiter.future.done():
                        waiter.future.set_exception(LongPause(left))
                queue.clear()
        self._wake.set()

    def pause_left(self) -> float:
        return max(0.0, self.paused_until - time.monotonic())

    def chat(self, target: Target) -> AbstractAsyncContextManager[TokenBucket | None]:
        """Hold `target`'s chat: its next message waits until this one is done."""
        if target.chat is None:
            return nullcontext(None)
        return _Holding(self._chat(target.chat, group=target.group), new=target.new)

    async def slot(
        self, which: Lane, target: Target, chat: TokenBucket | None, *, retry: bool = False
    ) -> None:
        """Wait for a slot in `which` lane; a retry goes ahead of its lane (it had its turn).
        Raises LongPause if the token is paused for longer than `longest_wait`."""
        while True:
            if self.pause_left() > self.longest_wait:
                raise LongPause(self.pause_left())
            await self._granted(which, target, chat, ahead=retry)
            if self.paused_until <= time.monotonic():
                return
            # A 429 came between the grant and now: wait out the pause, ahead of the lane.
            retry = True

    async def _granted(
        self, which: Lane, target: Target, chat: TokenBucket | None, *, ahead: bool
    ) -> None:
        if chat is not None:
            # Nobody else takes from this bucket meanwhile: the caller holds the chat.
            wait = chat.wait_time(time.monotonic(), target.weight)
            if wait > 0:
                await asyncio.sleep(wait)
        if self._take_now(which, chat, target.weight):
            return
        waiter = _Waiter(asyncio.get_running_loop().create_future(), chat, target.weight)
        queue = self._queues[which]
        # The granter sleeps until its head's slot is due: it needs waking only when this waiter
        # may be due sooner (the new head of its lane, or an answer, which goes before deliveries).
        wake = ahead or not queue or which is Lane.answer
        if ahead:
            queue.appendleft(waiter)
        else:
            queue.append(waiter)
        if wake:
            self._wake.set()
        if self._granter is None:
            self._granter = asyncio.create_task(self._grant())
        try:
            await waiter.future
        except asyncio.CancelledError:
            # Its future is cancelled too and skipped; the granter stops if nobody else waits.
            self._wake.set()
            raise

    def _take_now(self, which: Lane, chat: TokenBucket | None, weight: int) -> bool:
        """Take the slot at once if the granter would grant it now: nobody waits in either lane
        (answers before deliveries, each lane in order), no pause, and the buckets hold it. This
        spares a busy sender a future and a trip through the granter for every message."""
        if self._queues[Lane.answer] or self._queues[Lane.delivery]:
            return False
        now = time.monotonic()
        if self.paused_until > now or self._overall.wait_time(now, weight) > 0:
            return False
        delivery = which is Lane.delivery
        if delivery and self._delivery.wait_time(now, weight) > 0:
            return False
        self._overall.take(weight)
        if delivery:
            self._delivery.take(weight)
        if chat is not None:
            chat.take(weight)
        return True

    async def _grant(self) -> None:
        try:
            while (wait := self._grant_due()) is not None:
                self._wake.clear()
                # Until the next slot could be due, or sooner when an answer or a 429 comes.
                with suppress(TimeoutError):
                    async with asyncio.timeout(wait):
                        await self._wake.wait()
        finally:
            self._granter = None

    def _grant_due(self) -> float | None:
        """Grant every slot due now; then None if nobody waits, else the seconds to wait."""
        answers, deliveries = self._queues[Lane.answer], self._queues[Lane.delivery]
        while True:
            for queue in (answers, deliveries):
                while queue and queue[0].future.done():
                    queue.popleft()
            if not answers and not deliveries:
                return None
            now = time.monotonic()
            if self.paused_until > now:
                return self.paused_until - now
            queue = answers or deliveries
            head = queue[0]
            wait = self._overall.wait_time(now, head.weight)
            if queue is deliveries:
                wait = max(wait, self._delivery.wait_time(now, head.weight))
            if wait > 0:
                # Deliveries are granted in batches: rather than wake for each slot as it comes
                # due (a thousand wake-ups a second at paid-broadcast rates), sleep while the
                # buckets fill to about half their size (they hold WAKES_PER_SECOND-ths of a
                # second, so nothing overflows). An answer or a 429 wakes the granter anyway.
                return wait if queue is answers else max(wait, DELIVERY_WAKE_SECONDS)
            queue.popleft()
            self._overall.take(head.weight)
            if queue is deliveries:
                self._delivery.take(head.weight)
            if head.chat is not None:
                head.chat.take(head.weight)
            head.future.set_result(None)

    def _chat(self, key: int | str, *, group: bool) -> _Chat:
        chat = self._chats.get(key)
        if chat is None:
            if len(self._chats) >= self._sweep_at:
                self._forget_idle_chats()
                # Not again before as many new chats came: a broadcast's stay busy a while.
                self._sweep_at = max(CHATS_KEPT, 2 * len(self._chats))
            limits, now = self.limits, time.monotonic()
            bucket = (
                TokenBucket(limits.group_per_minute / 60, GROUP_BURST, now)
                if group
                else TokenBucket(limits.chat_rate, limits.chat_burst, now)
            )
            chat = self._chats[key] = _Chat(bucket)
        return chat

    def _forget_idle_chats(self) -> None:
        """A chat nobody waits for, whose bucket is full again, is as good as a new one."""
        now = time.monotonic()
        for key in [k for k, c in self._chats.items() if not c.users and c.bucket.is_full(now)]:
            del self._chats[key]
