"""Issuing invitations: a fresh link and code per person, each issue audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.invitations.errors import PersonLinked
from services.invitations.people import load_person, stored_id
from services.invitations.tokens import digest, new_code, new_token, printed_code
from storage.audit import record_audit
from storage.invitations import add_invitation, revoke_open_invitations
from storage.models import Person
from storage.people import active_delegation_names, unbound_people

# Several delegations of one person (mandates at two levels) share one cell or line.
DELEGATION_SEPARATOR = "、"


@dataclass(frozen=True)
class IssuedInvitation:
    """The only moment the token and the code exist in clear: hand them over, then drop them."""

    person_id: int
    name: str
    delegation: str
    # Kept out of repr, so that logging the object does not log the secrets.
    token: str = field(repr=False)
    code: str = field(repr=False)
    expires_at: datetime

    def link(self, bot_username: str) -> str:
        return f"https://t.me/{bot_username}?start={self.token}"

    @property
    def printed_code(self) -> str:
        return printed_code(self.code)


def target(person_id: int) -> str:
    return f"person:{person_id}"


async def issue_invitation(
    *,
    session: AsyncSession,
    person_id: int,
    actor_telegram_id: int | None,
    now: datetime,
    ttl_days: int,
) -> IssuedInvitation:
    """A new link and code for someone not yet linked; their earlier open invitations are revoked.

    Raises NotFound for an unknown person and PersonLinked for someone already linked (use rebind).
    """
    person = await load_person(session=session, person_id=person_id)
    if person.telegram_id is not None:
        raise PersonLinked(name=person.name)
    names = await active_delegation_names(
        session=session, person_ids=[person_id], delegation_ids=None
    )
    delegation = DELEGATION_SEPARATOR.join(names.get(person_id, ()))
    return await _issue(session, person, delegation, actor_telegram_id, now, ttl_days)


async def issue_for_unbound(
    *,
    session: AsyncSession,
    scope: frozenset[int] | None,
    actor_telegram_id: int | None,
    now: datetime,
    ttl_days: int,
) -> list[IssuedInvitation]:
    """Fresh invitations for everyone in scope with an active mandate and no Telegram account,
    ordered by delegation, then name."""
    people = await unbound_people(session=session, delegation_ids=scope)
    names = await active_delegation_names(
        session=session, person_ids=[stored_id(p) for p in people], delegation_ids=scope
    )
    people.sort(key=lambda p: (names.get(stored_id(p), []), p.name, stored_id(p)))
    return [
        await _issue(
            session,
            person,
            DELEGATION_SEPARATOR.join(names.get(stored_id(person), ())),
            actor_telegram_id,
            now,
            ttl_days,
        )
        for person in people
    ]


async def _issue(
    session: AsyncSession,
    person: Person,
    delegation: str,
    actor_telegram_id: int | None,
    now: datetime,
    ttl_days: int,
) -> IssuedInvitation:
    person_id = stored_id(person)
    # Only hashes are kept, so an older link can never be shown again: it is revoked instead.
    revoked = await revoke_open_invitations(session=session, person_id=person_id, now=now)
    token, code = new_token(), new_code()
    invitation = await add_invitation(
        session=session,
        person_id=person_id,
        token_hash=digest(token),
        code_hash=digest(code),
        created_at=now,
        expires_at=now + timedelta(days=ttl_days),
        created_by_telegram_id=actor_telegram_id,
    )
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action="invite.issue",
        target=target(person_id),
        details={"invitation_id": invitation.id, "revoked": revoked},
    )
    return IssuedInvitation(
        person_id=person_id,
        name=person.name,
        delegation=delegation,
        token=token,
        code=code,
        expires_at=invitation.expires_at,
    )
