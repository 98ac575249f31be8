"""What a broadcast's progress message shows, and whether its final report is due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.deliveries.control import Progress, progress
from storage.broadcasts import Broadcast, Undelivered, undelivered
from storage.delivery_models import DeliveryState, RecipientState

__all__ = ["BroadcastProgress", "DeliveryState", "RecipientState", "broadcast_progress"]

# Names listed in a final report; the rest are counted.
REPORT_NAMES = 50
ENDED = (DeliveryState.done, DeliveryState.cancelled)


@dataclass(frozen=True)
class BroadcastProgress:
    broadcast: Broadcast
    progress: Progress
    # Done or cancelled, with no row still being sent: the final report is due.
    finished: bool
    undelivered: list[Undelivered]
    undelivered_total: int


async def broadcast_progress(
    *, session: AsyncSession, broadcast: Broadcast, now: datetime
) -> BroadcastProgress:
    counts = await progress(session=session, delivery_id=broadcast.delivery_id, now=now)
    finished = counts.delivery.state in ENDED and counts.left == 0
    names: list[Undelivered] = []
    total = 0
    if finished:
        names, total = await undelivered(
            session=session, delivery_id=broadcast.delivery_id, limit=REPORT_NAMES
        )
    return BroadcastProgress(broadcast, counts, finished, names, total)
