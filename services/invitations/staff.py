"""Staff actions on a person's invitations and account link. Every action is audited."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.invitations.issue import IssuedInvitation, issue_invitation, target
from services.invitations.people import load_person
from storage.audit import record_audit
from storage.invitations import revoke_open_invitations
from storage.people import set_person_telegram_id


async def revoke_invitations(
    *, session: AsyncSession, person_id: int, actor_telegram_id: int, now: datetime
) -> int:
    """Revokes the person's open invitations; returns how many were still usable."""
    await load_person(session=session, person_id=person_id)
    count = await revoke_open_invitations(session=session, person_id=person_id, now=now)
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action="invite.revoke",
        target=target(person_id),
        details={"revoked": count},
    )
    return count


async def rebind(
    *, session: AsyncSession, person_id: int, actor_telegram_id: int, now: datetime, ttl_days: int
) -> IssuedInvitation:
    """Unlinks the person's Telegram account and issues a new invitation for the next one."""
    person = await load_person(session=session, person_id=person_id)
    previous = person.telegram_id
    await set_person_telegram_id(session=session, person=person, telegram_id=None, now=now)
    revoked = await revoke_open_invitations(session=session, person_id=person_id, now=now)
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action="person.rebind",
        target=target(person_id),
        details={"previous_telegram_id": previous, "revoked": revoked},
    )
    return await issue_invitation(
        session=session,
        person_id=person_id,
        actor_telegram_id=actor_telegram_id,
        now=now,
        ttl_days=ttl_days,
    )
