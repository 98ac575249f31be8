"""The sender: claims due recipient rows in batches with a lease, sends, marks them.

One transaction claims a batch; what it has sent is marked every MARK_EVERY seconds while it
goes on, and the rest when it ends. A sender killed meanwhile leaves its unmarked rows claimed;
once their lease expires another sender (or this one restarted) takes them again. The
duplicates this allows are messages Telegram accepted before the kill and not yet marked: those
sent in the last MARK_EVERY seconds and those whose answer was on its way. A sender that is
stopped (not killed) marks what it sent and hands back what it had not begun.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

import services.bulletin_feed.notices
import services.bulletins.from_feed  # noqa: F401  (registers the new-draft notice to staff)
from bot.deliveries.messages import calls_for
from bot.deliveries.outcomes import Backoff, blocked_before, failed_to_render, send_row
from bot.deliveries.wire import Call, Wire
from bot.stopping import finish_anyway, stop_if_cancelled
from services.actors import SUPPORTED_LOCALES
from services.clock import now
from services.config import Settings
from storage.delivery_models import Delivery
from storage.delivery_queue import (
    ClaimedRow,
    Outcome,
    claim,
    due_deliveries,
    finish_done,
    mark,
    release,
    release_expired,
)
from storage.delivery_wake import listen_queued, on_queued
from storage.types import utcnow as wall_clock

log = logging.getLogger(__name__)

Claimed = list[tuple[Delivery, ClaimedRow]]
# Batches in flight at once: while one waits for its slowest sends, the next keeps the slots busy.
PIPELINE = 2
# While a batch is being sent, what it has sent so far is marked this often.
MARK_EVERY = 0.25
# How often rows whose lease expired are looked for.
RELEASE_EVERY = timedelta(seconds=1)


@dataclass
class DeliverySender:
    bot: Bot
    sessionmaker: async_sessionmaker[AsyncSession]
    i18n: I18n
    settings: Settings
    clock: Callable[[], datetime] = now
    # Leases run on the wall clock: the demo's `:time` moves `clock` by hours, and a lease read
    # on it would look expired mid-batch and its rows be sent again.
    lease_clock: Callable[[], datetime] = wall_clock
    _slots: asyncio.Semaphore = field(init=False)
    _wire: Wire = field(init=False)
    _backoff: Backoff = field(init=False)
    _release_at: datetime = field(init=False, default=datetime.min.replace(tzinfo=UTC))
    _stopping: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _wake: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _sending: set[asyncio.Future[Any]] = field(init=False, default_factory=set)
    _idlers: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._slots = asyncio.Semaphore(self.settings.delivery_concurrency)
        self._wire = Wire(self.bot)
        self._backoff = Backoff(
            self.settings.delivery_max_attempts, self.settings.delivery_retry_base_seconds
        )

    async def run(self) -> None:
        """Drain due rows until `stop`, PIPELINE batches at a time. When idle, look again every
        DELIVERY_POLL_SECONDS, or at once when this process (or, on PostgreSQL, any process)
        commits rows to send."""
        async with listen_queued(self.sessionmaker.kw.get("bind"), self._wake.set):
            with on_queued(self._wake.set):
                await asyncio.gather(*(self._drain() for _ in range(PIPELINE)))

    def stop(self) -> None:
        """Stop claiming; the sends under way are cut short, what they sent is marked and the
        rows not begun are handed back (run_once). Database work is never cut in half: a
        cancellation inside a database call can leave the driver's connection hanging."""
        self._stopping.set()
        self._wake.set()
        for sending in self._sending:
            sending.cancel()

    async def _drain(self) -> None:
        while not self._stopping.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                stop_if_cancelled()
                # The database or Telegram is away: the rows stay, the next round tries again.
                log.exception("delivery round failed")
                handled = 0
            if not handled and not self._stopping.is_set():
                await self._idle()

    @property
    def idle(self) -> bool:
        """Every pipeline waits for rows to become due."""
        return self._idlers == PIPELINE

    async def _idle(self) -> None:
        self._wake.clear()
        self._idlers += 1
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.settings.delivery_poll_seconds):
                    await self._wake.wait()
        finally:
            self._idlers -= 1

    async def run_once(self) -> int:
        """Claim one batch, send it and mark it; the number of rows handled."""
        if self._stopping.is_set():
            return 0
        claimed, drained = await self._claim(self.clock())
        if not claimed:
            return 0
        batch = _Batch(claimed, drained)
        sending = asyncio.gather(
            *(self._send(batch, d, row) for d, row in claimed), return_exceptions=True
        )
        self._sending.add(sending)
        if self._stopping.is_set():
            sending.cancel()  # told to stop while claiming: every row goes back
        marking = asyncio.ensure_future(self._mark_while_sending(batch, sending))
        try:
            await asyncio.wait({sending})
        except asyncio.CancelledError:
            sending.cancel()
            # Cancelled from outside: the sends stop here, and the marks are written anyway.
            await finish_anyway(marking)
            await finish_anyway(self._settle(batch, stopping=True))
            raise
        finally:
            self._sending.discard(sending)
        await finish_anyway(marking)
        # Stopped: what was sent is marked and what was not begun is handed back; only the
        # rows in flight (Telegram may have taken them) wait for their lease. Otherwise all is
        # marked. Cut short, the marks would be lost and the batch sent again.
        # (A gather that gathers exceptions ends with CancelledError as its exception.)
        stopped = sending.cancelled() or isinstance(sending.exception(), asyncio.CancelledError)
        await finish_anyway(self._settle(batch, stopping=stopped))
        for failure in [] if stopped else sending.result():
            if isinstance(failure, BaseException):
                # Its row keeps its lease and is tried again when that expires.
                log.error("a delivery send failed", exc_info=failure)
        return len(claimed)

    async def _mark_while_sending(self, batch: _Batch, sending: asyncio.Future[Any]) -> None:
        """Mark what has been sent every MARK_EVERY seconds while the batch goes on, so that a
        sender killed mid-batch sends again only what it sent since the last mark."""
        while not sending.done():
            await asyncio.wait({sending}, timeout=MARK_EVERY)
            if sending.done():
                return
            done = batch.unmarked()
            if not done:
                continue
            try:
                async with self.sessionmaker.begin() as session:
                    await mark(
                        session=session,
                        outcomes=[outcome for _, (outcome, _) in done],
                        unreachable_people=[person for _, (_, person) in done if person],
                    )
            except Exception:
                stop_if_cancelled()
                # Marked with the rest when the batch is settled.
                log.exception("marking sent rows failed")
                return
            batch.marked.update(row_id for row_id, _ in done)

    async def _settle(self, batch: _Batch, *, stopping: bool) -> None:
        results = [result for _, result in batch.unmarked()]
        untouched = [row.id for _, row in batch.claimed if row.id not in batch.started]
        async with self.sessionmaker.begin() as session:
            await mark(
                session=session,
                outcomes=[outcome for outcome, _ in results],
                unreachable_people=[person for _, person in results if person is not None],
            )
            if stopping:
                await release(session=session, recipient_ids=untouched)
            if stopping or batch.drained:
                # Only a batch that took a delivery's last due rows may have finished it; else
                # the next claim, finding nothing left, finishes it then.
                await finish_done(session=session, now=self.clock())

    async def _claim(self, now: datetime) -> tuple[Claimed, bool]:
        """The rows claimed, and whether some delivery had fewer due rows than were asked."""
        async with self.sessionmaker.begin() as session:
            deliveries = await due_deliveries(session=session, now=now)
            if not deliveries:
                return [], False
            wall = self.lease_clock()
            if wall >= self._release_at:
                # Leases last minutes: looking for expired ones once a second is enough.
                await release_expired(session=session, now=wall)
                self._release_at = wall + RELEASE_EVERY
            lease_until = wall + timedelta(seconds=self.settings.delivery_lease_seconds)
            claimed: Claimed = []
            drained = False
            for delivery in deliveries:
                room = self.settings.delivery_batch - len(claimed)
                if room <= 0:
                    break
                rows = await claim(
                    session=session,
                    delivery=delivery,
                    now=now,
                    lease_until=lease_until,
                    limit=room,
                )
                claimed.extend((delivery, row) for row in rows)
                drained = drained or len(rows) < room
            if not claimed:
                await finish_done(session=session, now=now)
        return claimed, drained

    async def _send(
        self,
        batch: _Batch,
        delivery: Delivery,
        row: ClaimedRow,
    ) -> None:
        language = row.language
        if row.unreachable:
            batch.finished[row.id] = (blocked_before(row, self.clock()), None)
            return
        locale = language if language in SUPPORTED_LOCALES else self.settings.default_locale
        try:
            calls = calls_for(
                self._wire,
                batch.calls,
                delivery,
                row,
                locale=str(locale),
                i18n=self.i18n,
                paid=self.settings.delivery_paid_broadcast,
            )
        except Exception as exc:
            # A bug in a template, or one no longer registered: retrying would not help.
            batch.finished[row.id] = (failed_to_render(row, exc, self.clock()), None)
            return
        async with self._slots:
            batch.started.add(row.id)
            outcome, gone = await send_row(
                self._wire, row, calls, backoff=self._backoff, clock=self.clock
            )
        batch.finished[row.id] = (outcome, row.person_id if gone else None)


@dataclass
class _Batch:
    """Claimed rows and, as they go, those whose send began and those with an outcome."""

    claimed: Claimed
    # Some delivery gave this batch its last due rows (bot.deliveries.sender._settle).
    drained: bool
    started: set[int] = field(default_factory=set)
    finished: dict[int, tuple[Outcome, int | None]] = field(default_factory=dict)
    marked: set[int] = field(default_factory=set)
    # Stored content's calls, built once per delivery (bot.deliveries.messages.calls_for).
    calls: dict[int, list[Call]] = field(default_factory=dict)

    def unmarked(self) -> list[tuple[int, tuple[Outcome, int | None]]]:
        return [
            (row_id, found) for row_id, found in self.finished.items() if row_id not in self.marked
        ]
