"""Erasing a constituent's contact on request: name and phone go, the concern stays."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.errors import DomainError, NotFound
from services.i18n_marks import N_
from storage.audit import record_audit
from storage.concerns import get_concern
from storage.duty_models import Concern

ERASE_ACTION = "concern.erase_contact"


class NoContact(DomainError):
    message = N_("Concern #{id} holds no contact details: nothing to erase.")


async def contact_to_erase(*, session: AsyncSession, concern_id: int, actor: Actor) -> Concern:
    """A concern in the staff member's scope that still holds a contact; a second erasure (an
    old button pressed again) changes nothing and is told so."""
    concern = await concern_in_scope(session=session, concern_id=concern_id, actor=actor)
    if concern.constituent_name is None and concern.constituent_phone is None:
        raise NoContact(id=concern_id)
    return concern


async def concern_in_scope(*, session: AsyncSession, concern_id: int, actor: Actor) -> Concern:
    concern = await get_concern(session=session, concern_id=concern_id)
    if concern is None or not actor.sees_delegation(concern.delegation_id):
        raise NotFound()
    return concern


async def erase_contact(
    *, session: AsyncSession, concern_id: int, actor: Actor, now: datetime
) -> Concern:
    concern = await contact_to_erase(session=session, concern_id=concern_id, actor=actor)
    concern.constituent_name = None
    concern.constituent_phone = None
    concern.contact_erased_at = now
    session.add(concern)
    # What was erased is not repeated in the log: only that it was, and by whom.
    await record_audit(
        session=session,
        actor_telegram_id=actor.telegram_id,
        action=ERASE_ACTION,
        target=str(concern_id),
    )
    return concern
