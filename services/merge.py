"""Admins: possible duplicates across delegations, and merging two roster entries into one.

A roster file matches only within the uploader's scope, so the same human can appear once per
delegation. An admin merges such entries: one person with the mandates of both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import DomainError, NotFound
from services.i18n_marks import N_
from services.invitations.people import stored_id
from storage.audit import record_audit
from storage.invitations import revoke_open_invitations
from storage.merge import (
    delete_person,
    move_person_rows,
    people_sharing_name_and_phone,
    staff_row_of,
)
from storage.models import Person
from storage.people import active_delegation_names


class MergeRefused(DomainError):
    message = N_("These two entries cannot be merged.")


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str
    phone: str
    delegations: tuple[str, ...]
    linked: bool


async def find_duplicates(*, session: AsyncSession) -> list[list[Candidate]]:
    """Groups of people with the same name and phone, at least two of them."""
    people = await people_sharing_name_and_phone(session=session)
    names = await active_delegation_names(
        session=session, person_ids=[stored_id(p) for p in people], delegation_ids=None
    )
    candidates = [_candidate(p, names) for p in people]
    grouped = groupby(candidates, key=lambda c: (c.name, c.phone))
    return [group for _, members in grouped if len(group := list(members)) > 1]


async def merge_people(
    *,
    session: AsyncSession,
    keep_id: int,
    other_id: int,
    actor_telegram_id: int | None,
    now: datetime,
) -> dict[str, int]:
    """Moves everything of ``other_id`` onto ``keep_id`` and deletes ``other_id``; audited.

    Refused when the two are linked to different Telegram accounts (which one is the person's
    is for a human to find out) or both hold a staff role. The caller's transaction makes it
    all or nothing.
    """
    keep, other = await _mergeable(session, keep_id, other_id)
    # An open invitation of the other entry would otherwise link an account to the kept one.
    revoked = await revoke_open_invitations(session=session, person_id=other_id, now=now)
    moved = await move_person_rows(session=session, from_id=other_id, to_id=keep_id)
    account, staff_code = other.telegram_id, other.staff_code
    # Unique columns: take them off the other entry before the kept one gets them.
    other.telegram_id, other.staff_code = None, None
    session.add(other)
    await session.flush()
    keep.telegram_id = keep.telegram_id or account
    keep.staff_code = keep.staff_code or staff_code
    keep.phone = keep.phone or other.phone
    keep.language = keep.language or other.language
    keep.updated_at = now
    session.add(keep)
    await session.flush()
    await delete_person(session=session, person_id=other_id)
    details = {"merged_person_id": other_id, "merged_name": other.name, "revoked": revoked, **moved}
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action="person.merge",
        target=f"person:{keep_id}",
        details=details,
    )
    return moved


async def merge_preview(
    *, session: AsyncSession, keep_id: int, other_id: int
) -> tuple[Candidate, Candidate]:
    """The two entries as a confirmation shows them; raises what merge_people would raise."""
    keep, other = await _mergeable(session, keep_id, other_id)
    names = await active_delegation_names(
        session=session, person_ids=[keep_id, other_id], delegation_ids=None
    )
    return _candidate(keep, names), _candidate(other, names)


def _candidate(person: Person, names: dict[int, list[str]]) -> Candidate:
    return Candidate(
        person_id=stored_id(person),
        name=person.name,
        phone=person.phone or "",
        delegations=tuple(names.get(stored_id(person), ())),
        linked=person.telegram_id is not None,
    )


async def _mergeable(session: AsyncSession, keep_id: int, other_id: int) -> tuple[Person, Person]:
    if keep_id == other_id:
        raise MergeRefused(N_("An entry cannot be merged with itself."))
    keep, other = await session.get(Person, keep_id), await session.get(Person, other_id)
    if keep is None or other is None:
        raise NotFound(N_("No roster entry with id {id}."), id=other_id if keep else keep_id)
    if None not in (keep.telegram_id, other.telegram_id) and keep.telegram_id != other.telegram_id:
        raise MergeRefused(
            N_("Both entries are linked to different Telegram accounts; unlink one first.")
        )
    if await staff_row_of(session=session, person_id=keep_id) and await staff_row_of(
        session=session, person_id=other_id
    ):
        raise MergeRefused(N_("Both entries hold a staff role; remove one first."))
    return keep, other
