"""Finding roster people for staff, within the delegations a staff member looks after."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import NotFound, PermissionDenied
from services.i18n_marks import N_
from services.invitations.errors import MandateOutsideScope, PersonNotInScope
from storage.models import Person
from storage.people import (
    active_delegation_names,
    delegation_ids_of,
    has_staff_role,
    search_people,
)

MAX_MATCHES = 10


@dataclass(frozen=True)
class PersonMatch:
    person_id: int
    name: str
    # Only the delegations inside the searcher's scope, so a search reveals nothing beyond it.
    delegations: tuple[str, ...]
    bound: bool
    # The whole name, not a part of it: only an exact match may be acted on without a choice.
    exact: bool = False


def clean_name(name: str) -> str:
    """Without any whitespace: rosters pad two-character names with a full-width space (王　伟)."""
    return "".join(name.split())


async def find_people(
    *, session: AsyncSession, name: str, scope: frozenset[int] | None
) -> list[PersonMatch]:
    """Up to ten people in scope whose name contains ``name``, exact matches first.

    ``scope`` None means every delegation; otherwise a person is found only through an active
    mandate in one of the delegations given.
    """
    text = clean_name(name)
    if not text:
        return []
    people = await search_people(
        session=session, text=text, delegation_ids=scope, limit=MAX_MATCHES
    )
    names = await active_delegation_names(
        session=session, person_ids=[stored_id(p) for p in people], delegation_ids=scope
    )
    return [
        PersonMatch(
            person_id=stored_id(p),
            name=p.name,
            delegations=tuple(names.get(stored_id(p), ())),
            bound=p.telegram_id is not None,
            exact=clean_name(p.name) == text,
        )
        for p in people
    ]


async def ensure_person_in_scope(
    *, session: AsyncSession, person_id: int, scope: frozenset[int] | None
) -> Person:
    """The person, if they exist and hold an active mandate in scope (None: every delegation).

    Staff handlers call this before issue_invitation, revoke_invitations or rebind, which act on
    a person id and leave the scope check to the caller.
    """
    person = await load_person(session=session, person_id=person_id)
    if scope is None:
        return person
    names = await active_delegation_names(
        session=session, person_ids=[person_id], delegation_ids=scope
    )
    if not names.get(person_id):
        raise PersonNotInScope()
    return person


async def person_for_staff_action(
    *, session: AsyncSession, person_id: int, scope: frozenset[int] | None, is_admin: bool
) -> Person:
    """The person a staff member may invite, revoke or unlink: in scope, and not staff unless
    the actor is an admin (whoever takes over a staff member's entry gets their rights).

    Every active mandate must lie in scope: the account that redeems the invitation acts for all
    of them, so inviting someone who is also another delegation's representative would hand that
    delegation's mandate to whoever this staff member chooses.
    """
    person = await ensure_person_in_scope(session=session, person_id=person_id, scope=scope)
    if scope is not None and not is_admin:
        outside = await delegation_ids_of(session=session, person_id=person_id) - scope
        if outside:
            raise MandateOutsideScope(name=person.name)
    if not is_admin and await has_staff_role(session=session, person_id=person_id):
        raise PermissionDenied(
            N_("Only an administrator can invite or unlink staff and administrators.")
        )
    return person


async def load_person(*, session: AsyncSession, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    if person is None:
        raise NotFound()
    return person


def stored_id(person: Person) -> int:
    """The id of a stored person; every Person read from the database has one."""
    if person.id is None:
        raise ValueError("the person has not been stored")
    return person.id
