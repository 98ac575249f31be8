"""Who may pause, resume or cancel a broadcast: its author, an admin, or staff whose scope holds
every delegation the broadcast was sent within. Anyone else is told it does not exist."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.deliveries import control
from services.errors import NotFound
from storage.broadcasts import Broadcast, get_broadcast
from storage.delivery_models import Delivery


class Action(StrEnum):
    pause = "pause"
    resume = "resume"
    cancel = "cancel"


def may_control(actor: Actor, broadcast: Broadcast) -> bool:
    if not actor.is_staff:
        return False
    if actor.scope is None or actor.telegram_id == broadcast.author_telegram_id:
        return True
    reach = broadcast.delegation_ids
    return reach is not None and set(reach) <= actor.scope


async def open_broadcast(*, session: AsyncSession, actor: Actor, broadcast_id: int) -> Broadcast:
    broadcast = await get_broadcast(session=session, broadcast_id=broadcast_id)
    if broadcast is None or not may_control(actor, broadcast):
        raise NotFound()
    return broadcast


async def control_broadcast(
    *, session: AsyncSession, actor: Actor, broadcast_id: int, action: Action, now: datetime
) -> Delivery:
    """WrongDeliveryState when the delivery is not in a state the action applies to."""
    broadcast = await open_broadcast(session=session, actor=actor, broadcast_id=broadcast_id)
    delivery_id = broadcast.delivery_id
    who = actor.telegram_id
    if action is Action.pause:
        return await control.pause(session=session, delivery_id=delivery_id, actor_telegram_id=who)
    if action is Action.resume:
        return await control.resume(session=session, delivery_id=delivery_id, actor_telegram_id=who)
    return await control.cancel(
        session=session, delivery_id=delivery_id, now=now, actor_telegram_id=who
    )
