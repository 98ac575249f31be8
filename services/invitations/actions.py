"""What a staff action on one person would do, checked before anything is shown or changed.

Voiding an invitation or unlinking an account cannot be undone from the chat, so such actions are
first described on a card (who, which delegations, what stops working) and run only once
confirmed. The same checks run again on confirmation: the roster may have changed in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.invitations.errors import NothingToRevoke, PersonLinked, PersonNotLinked, SelfUnlink
from services.invitations.people import person_for_staff_action
from services.permissions import Role
from storage.invitations_state import open_invitations
from storage.people import active_delegation_names


class StaffAction(IntEnum):
    invite = 1
    revoke = 2
    rebind = 3


@dataclass(frozen=True)
class ActionPlan:
    action: StaffAction
    person_id: int
    name: str
    # Only the delegations inside the actor's scope, like a search result.
    delegations: tuple[str, ...]
    linked: bool
    # When each invitation that the action would void was issued.
    voided_invitations: tuple[datetime, ...]
    # The account an unlinking leaves, and the person's language, to tell them: never shown.
    account: int | None = None
    language: str | None = None

    @property
    def needs_confirmation(self) -> bool:
        return self.linked or bool(self.voided_invitations)


async def plan_staff_action(
    *,
    session: AsyncSession,
    action: StaffAction,
    person_id: int,
    actor: Actor,
    now: datetime,
) -> ActionPlan:
    """The plan, or the domain error that explains why the action cannot be taken."""
    person = await person_for_staff_action(
        session=session,
        person_id=person_id,
        scope=actor.scope,
        is_admin=Role.admin in actor.roles,
    )
    linked = person.telegram_id is not None
    if action is StaffAction.invite and linked:
        raise PersonLinked(name=person.name)
    if action is StaffAction.rebind:
        if not linked:
            raise PersonNotLinked(name=person.name)
        if person.telegram_id == actor.telegram_id or person_id == actor.person_id:
            raise SelfUnlink()
    voided = await open_invitations(session=session, person_id=person_id, now=now)
    if action is StaffAction.revoke and not voided:
        raise NothingToRevoke(name=person.name)
    names = await active_delegation_names(
        session=session, person_ids=[person_id], delegation_ids=actor.scope
    )
    return ActionPlan(
        action=action,
        person_id=person_id,
        name=person.name,
        delegations=tuple(names.get(person_id, ())),
        linked=linked and action is StaffAction.rebind,
        voided_invitations=tuple(invitation.created_at for invitation in voided),
        account=person.telegram_id,
        language=person.language,
    )
