"""Sending one recipient's calls and turning what Telegram answered into the row's outcome."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)

from bot.budget import Lane, lane
from bot.deliveries.wire import Call, Wire
from storage.delivery_models import BLOCKED_BEFORE, RecipientState
from storage.delivery_queue import ClaimedRow, Outcome

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Backoff:
    """Waits between tries after server errors and timeouts: base, 2×base, 4×base…"""

    max_attempts: int
    base_seconds: float
    cap_seconds: float = 3600.0

    def delay(self, attempts: int) -> timedelta:
        return timedelta(seconds=min(self.base_seconds * 2 ** (attempts - 1), self.cap_seconds))


async def send_row(
    wire: Wire,
    row: ClaimedRow,
    calls: list[Call],
    *,
    backoff: Backoff,
    clock: Callable[[], datetime],
) -> tuple[Outcome, bool]:
    """Send the calls not yet accepted (a retry resumes after `parts_sent`); the outcome, and
    whether Telegram said the person blocked the bot."""
    parts = row.parts_sent
    try:
        with lane(Lane.delivery):
            for call in calls[parts:]:
                await wire.send(call, row.chat_id)
                parts += 1
    except TelegramForbiddenError as exc:
        return _ended(row, parts, RecipientState.unreachable, exc.message, clock()), True
    except TelegramBadRequest as exc:
        return _ended(row, parts, RecipientState.failed, exc.message, clock()), False
    except TelegramRetryAfter as exc:
        # Flood control outlasted the session's own waiting: queued again, not counted.
        retry_at = clock() + timedelta(seconds=exc.retry_after)
        return _later(row, parts, row.attempts, retry_at, exc.message), False
    except Exception as exc:
        # Server errors, timeouts, the network; and the unexpected, rather than a row left
        # claimed: tried again later, then failed with the reason.
        reason = f"{type(exc).__name__}: {exc}"
        attempts = row.attempts + 1
        if attempts >= backoff.max_attempts:
            return _ended(row, parts, RecipientState.failed, reason, clock(), attempts), False
        retry_at = clock() + backoff.delay(attempts)
        return _later(row, parts, attempts, retry_at, reason), False
    now = clock()
    return Outcome(
        recipient_id=row.id,
        state=RecipientState.sent,
        parts_sent=parts,
        attempts=row.attempts,
        next_try_at=now,
        sent_at=now,
    ), False


def blocked_before(row: ClaimedRow, now: datetime) -> Outcome:
    """The person blocked the bot since the row was queued: skipped until they write again."""
    return _ended(row, row.parts_sent, RecipientState.unreachable, BLOCKED_BEFORE, now)


def failed_to_render(row: ClaimedRow, exc: Exception, now: datetime) -> Outcome:
    log.error("delivery %s: rendering for row %s failed", row.delivery_id, row.id, exc_info=exc)
    return _ended(row, row.parts_sent, RecipientState.failed, f"render: {exc}", now)


def _ended(
    row: ClaimedRow,
    parts: int,
    state: RecipientState,
    reason: str,
    now: datetime,
    attempts: int | None = None,
) -> Outcome:
    return Outcome(
        recipient_id=row.id,
        state=state,
        parts_sent=parts,
        attempts=row.attempts if attempts is None else attempts,
        next_try_at=now,
        error=reason,
    )


def _later(row: ClaimedRow, parts: int, attempts: int, retry_at: datetime, reason: str) -> Outcome:
    return Outcome(
        recipient_id=row.id,
        state=RecipientState.queued,
        parts_sent=parts,
        attempts=attempts,
        next_try_at=retry_at,
        error=reason,
    )
