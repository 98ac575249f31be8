"""Pausing, resuming and cancelling a delivery, and its progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import DomainError, NotFound
from services.i18n_marks import N_
from storage.deliveries import cancel_unsent, change_state, delivery_counts, get_delivery
from storage.delivery_models import Delivery, DeliveryState

_S = DeliveryState


class WrongDeliveryState(DomainError):
    message = N_("Delivery {id} is {state}: that cannot be done now.")


async def pause(*, session: AsyncSession, delivery_id: int) -> Delivery:
    """No new row is claimed; rows in flight are still sent and marked."""
    return await _move(session, delivery_id, (_S.scheduled, _S.sending), _S.paused)


async def resume(*, session: AsyncSession, delivery_id: int) -> Delivery:
    # Scheduled again: the sender moves it to sending with its next claim.
    return await _move(session, delivery_id, (_S.paused,), _S.scheduled)


async def cancel(*, session: AsyncSession, delivery_id: int, now: datetime) -> Delivery:
    """Every row not yet sent is cancelled at once; rows in flight finish."""
    delivery = await _move(
        session, delivery_id, (_S.scheduled, _S.sending, _S.paused), _S.cancelled
    )
    await cancel_unsent(session=session, delivery_id=delivery_id, now=now)
    return delivery


async def _move(
    session: AsyncSession, delivery_id: int, allowed: tuple[DeliveryState, ...], to: DeliveryState
) -> Delivery:
    moved = await change_state(session=session, delivery_id=delivery_id, allowed=allowed, to=to)
    delivery = await get_delivery(session=session, delivery_id=delivery_id)
    if delivery is None:
        raise NotFound()
    if not moved:
        raise WrongDeliveryState(id=delivery_id, state=str(delivery.state))
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
