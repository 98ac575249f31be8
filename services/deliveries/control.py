"""Pausing, resuming and cancelling a delivery, and its progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import DomainError, NotFound
from services.i18n_marks import N_
from storage.audit import record_audit
from storage.deliveries import cancel_unsent, change_state, delivery_counts, get_delivery
from storage.delivery_models import Delivery, DeliveryState

_S = DeliveryState
_ACTIONS = {
    _S.paused: "delivery_pause",
    _S.scheduled: "delivery_resume",
    _S.cancelled: "delivery_cancel",
}


class WrongDeliveryState(DomainError):
    message = N_("Delivery {id} is {state}: that cannot be done now.")


async def pause(
    *, session: AsyncSession, delivery_id: int, actor_telegram_id: int | None = None
) -> Delivery:
    """No new row is claimed; rows in flight are still sent and marked."""
    allowed = (_S.scheduled, _S.sending)
    return await _move(session, delivery_id, allowed, _S.paused, actor_telegram_id)


async def resume(
    *, session: AsyncSession, delivery_id: int, actor_telegram_id: int | None = None
) -> Delivery:
    # Scheduled again: the sender moves it to sending with its next claim.
    return await _move(session, delivery_id, (_S.paused,), _S.scheduled, actor_telegram_id)


async def cancel(
    *,
    session: AsyncSession,
    delivery_id: int,
    now: datetime,
    actor_telegram_id: int | None = None,
) -> Delivery:
    """Every row not yet sent is cancelled at once; rows in flight finish."""
    allowed = (_S.scheduled, _S.sending, _S.paused)
    delivery = await _move(session, delivery_id, allowed, _S.cancelled, actor_telegram_id)
    await cancel_unsent(session=session, delivery_id=delivery_id, now=now)
    return delivery


async def _move(
    session: AsyncSession,
    delivery_id: int,
    allowed: tuple[DeliveryState, ...],
    to: DeliveryState,
    actor_telegram_id: int | None,
) -> Delivery:
    moved = await change_state(session=session, delivery_id=delivery_id, allowed=allowed, to=to)
    delivery = await get_delivery(session=session, delivery_id=delivery_id)
    if delivery is None:
        raise NotFound()
    if not moved:
        raise WrongDeliveryState(id=delivery_id, state=str(delivery.state))
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action=_ACTIONS[to],
        target=f"delivery:{delivery_id}",
    )
    return delivery


@dataclass(frozen=True)
class Progress:
    delivery: Delivery
    queued: int
    sent: int
    failed: int
    unreachable: int
    cancelled: int
    # Rows still to send: queued, or being sent now.
    left: int
    # None when nothing is left, or when nothing has been sent yet to measure the rate by.
    finish_at: datetime | None


async def progress(*, session: AsyncSession, delivery_id: int, now: datetime) -> Progress:
    """Counters of the delivery's rows and when it should finish at the rate seen so far."""
    counts = await delivery_counts(session=session, delivery_id=delivery_id)
    if counts is None:
        raise NotFound()
    left = counts.queued + counts.sending
    finish_at = None
    if left and counts.sent and counts.first_sent is not None and counts.last_sent is not None:
        span = (counts.last_sent - counts.first_sent).total_seconds()
        # The first send's second counts: one sent row takes at least that long.
        seconds_per_row = max(span, 1.0) / counts.sent
        finish_at = max(now, counts.last_sent) + timedelta(seconds=left * seconds_per_row)
    return Progress(
        delivery=counts.delivery,
        queued=counts.queued,
        sent=counts.sent,
        failed=counts.failed,
        unreachable=counts.unreachable,
        cancelled=counts.cancelled,
        left=left,
        finish_at=finish_at,
    )
