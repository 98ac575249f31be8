"""Merging two roster entries of one person: everything moves, or nothing does."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.invitations import issue_invitation
from services.merge import MergeRefused, find_duplicates, merge_people
from storage.audit import list_audit
from storage.models import Invitation, Mandate, Person, StaffMember, StaffRole
from tests.factories import add_delegation, add_representative

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


async def _twins(session: AsyncSession) -> tuple[Person, Person]:
    keep = await add_representative(
        session, telegram_id=None, delegation=await add_delegation(session, "驻洛省十四届人大代表")
    )
    other = await add_representative(
        session, telegram_id=31, delegation=await add_delegation(session, "南阳市人大代表")
    )
    keep.phone, other.phone, other.language, other.staff_code = "1383", "1383", "en", "S-1"
    session.add_all([keep, other])
    await session.flush()
    return keep, other


def _id(person: Person) -> int:
    assert person.id is not None
    return person.id


async def test_merge_moves_mandates_staff_role_invitations_and_the_account(
    session: AsyncSession,
) -> None:
    keep, other = await _twins(session)
    keep_id, other_id = _id(keep), _id(other)
    issued = await issue_invitation(
        session=session, person_id=keep_id, actor_telegram_id=None, now=NOW, ttl_days=30
    )
    session.add(StaffMember(person_id=other_id, role=StaffRole.staff))
    await session.flush()
    assert [[c.person_id for c in group] for group in await find_duplicates(session=session)] == [
        [keep_id, other_id]
    ]
    moved = await merge_people(
        session=session, keep_id=keep_id, other_id=other_id, actor_telegram_id=5, now=NOW
    )
    await session.commit()
    assert moved == {"mandates": 1, "invitations": 0, "staff": 1}
    session.expire_all()
    merged = await session.get(Person, keep_id)
    assert merged is not None
    assert (merged.telegram_id, merged.language, merged.staff_code) == (31, "en", "S-1")
    assert await session.get(Person, other_id) is None
    owners = (await session.scalars(select(Mandate.person_id))).all()
    assert owners == [keep_id, keep_id]
    staff = await session.scalar(select(StaffMember))
    assert staff is not None
    assert staff.person_id == keep_id
    invitation = await session.scalar(select(Invitation))
    assert invitation is not None
    assert (invitation.person_id, invitation.revoked_at) == (issued.person_id, None)
    (entry,) = await list_audit(session=session, action="person.merge")
    assert entry.actor_telegram_id == 5
    assert entry.details["merged_person_id"] == other_id
    assert await find_duplicates(session=session) == []


async def test_an_open_invitation_of_the_merged_entry_is_revoked(session: AsyncSession) -> None:
    keep, other = await _twins(session)
    other.telegram_id = None
    session.add(other)
    await session.flush()
    await issue_invitation(
        session=session, person_id=_id(other), actor_telegram_id=None, now=NOW, ttl_days=30
    )
    await merge_people(
        session=session, keep_id=_id(keep), other_id=_id(other), actor_telegram_id=5, now=NOW
    )
    invitation = await session.scalar(
        select(Invitation).where(col(Invitation.person_id) == _id(keep))
    )
    assert invitation is not None
    assert invitation.revoked_at is not None


@pytest.mark.parametrize("conflict", ["accounts", "staff", "itself"])
async def test_conflicting_entries_are_not_merged(conflict: str, session: AsyncSession) -> None:
    keep, other = await _twins(session)
    if conflict == "accounts":
        keep.telegram_id = 30
        session.add(keep)
    if conflict == "staff":
        session.add(StaffMember(person_id=_id(keep), role=StaffRole.staff))
        session.add(StaffMember(person_id=_id(other), role=StaffRole.admin))
    await session.flush()
    other_id = _id(keep) if conflict == "itself" else _id(other)
    with pytest.raises(MergeRefused):
        await merge_people(
            session=session, keep_id=_id(keep), other_id=other_id, actor_telegram_id=5, now=NOW
        )
    assert await session.get(Person, _id(other)) is not None
    assert await list_audit(session=session, action="person.merge") == []
