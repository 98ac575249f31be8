"""Who in a staff member's delegations has not linked a Telegram account yet, and where their
invitation stands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from services.i18n_marks import N_
from services.invitations.people import stored_id
from storage.invitations_state import latest_invitations
from storage.models import Invitation
from storage.people import active_delegation_names, unbound_people


class InvitationState(StrEnum):
    none = "none"
    open = "open"
    expired = "expired"
    revoked = "revoked"
    # Redeemed once, then the account was unlinked, and no newer invitation was issued.
    used = "used"


STATE_LABELS = {
    InvitationState.none: N_("no invitation yet"),
    InvitationState.open: N_("invitation sent on {sent}, valid until {expires}"),
    InvitationState.expired: N_("invitation sent on {sent} expired on {expires}"),
    InvitationState.revoked: N_("invitation sent on {sent} was revoked"),
    InvitationState.used: N_("unlinked after accepting the invitation of {sent}"),
}


@dataclass(frozen=True)
class PendingPerson:
    person_id: int
    name: str
    delegations: tuple[str, ...]
    state: InvitationState
    sent_at: datetime | None = None
    expires_at: datetime | None = None


async def pending_people(
    *, session: AsyncSession, scope: frozenset[int] | None, now: datetime
) -> list[PendingPerson]:
    """Everyone in scope without a Telegram account, by delegation, then name."""
    people = await unbound_people(session=session, delegation_ids=scope)
    ids = [stored_id(person) for person in people]
    names = await active_delegation_names(session=session, person_ids=ids, delegation_ids=scope)
    latest = await latest_invitations(session=session, person_ids=ids)
    found = [
        _pending(stored_id(p), p.name, tuple(names.get(stored_id(p), ())), latest, now)
        for p in people
    ]
    return sorted(found, key=lambda p: (p.delegations, p.name, p.person_id))


def _pending(
    person_id: int,
    name: str,
    delegations: tuple[str, ...],
    latest: dict[int, Invitation],
    now: datetime,
) -> PendingPerson:
    invitation = latest.get(person_id)
    if invitation is None:
        return PendingPerson(person_id, name, delegations, InvitationState.none)
    if invitation.revoked_at is not None:
        state = InvitationState.revoked
    elif invitation.used_at is not None:
        state = InvitationState.used
    elif invitation.expires_at <= now:
        state = InvitationState.expired
    else:
        state = InvitationState.open
    return PendingPerson(
        person_id, name, delegations, state, invitation.created_at, invitation.expires_at
    )
