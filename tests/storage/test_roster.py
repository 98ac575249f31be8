"""Reading the whole roster at once and writing an import's changes stage by stage."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import (
    Delegation,
    Group,
    Level,
    Mandate,
    Person,
    StaffMember,
    StaffRole,
    StaffScope,
)
from storage.roster import BulkInsert, Write, apply_writes, load_roster_snapshot
from tests.factories import add_delegation, add_representative, add_staff


async def test_the_snapshot_holds_every_roster_table_in_order_of_entry(
    session: AsyncSession,
) -> None:
    first = await add_delegation(session, "驻洛省十四届人大代表")
    second = await add_delegation(session, "驻郑省十四届人大代表")
    await add_representative(session, telegram_id=None, delegation=second, name="李红梅")
    await add_representative(session, telegram_id=None, delegation=first, name="王建国")
    await add_staff(session, telegram_id=42, delegations=[first])
    await session.commit()

    snapshot = await load_roster_snapshot(session=session)

    assert [d.name for d in snapshot.delegations] == [first.name, second.name]
    assert [p.name for p in snapshot.people] == ["李红梅", "王建国"]
    assert [m.delegation_id for m in snapshot.mandates] == [second.id, first.id]
    assert [s.telegram_id for s in snapshot.staff] == [42]
    assert [s.delegation_id for s in snapshot.scopes] == [first.id]
    assert (snapshot.groups, snapshot.stations) == ([], [])


async def test_writes_link_to_rows_written_in_earlier_stages(session: AsyncSession) -> None:
    stored = await add_delegation(session, "驻洛省十四届人大代表")
    await session.commit()
    delegation = Delegation(name="洛阳市人大代表", level=Level.city)
    group = Group(name="第一代表小组", delegation_id=0)
    person = Person(name="王建国")
    staff = StaffMember(role=StaffRole.staff)
    mandate = {"level": Level.city, "term_number": 16, "is_group_leader": True}

    await apply_writes(
        session=session,
        stages=[
            [Write(delegation, new=True), Write(stored, new=False, values={"level": "city"})],
            [Write(group, new=True, links={"delegation_id": delegation})],
            [Write(person, new=True)],
            [
                Write(staff, new=True, links={"person_id": person}),
                BulkInsert(
                    Mandate,
                    mandate,
                    {"person_id": person, "delegation_id": delegation, "group_id": group},
                ),
            ],
            [BulkInsert(StaffScope, {}, {"staff_id": staff, "delegation_id": stored})],
        ],
    )
    await session.commit()

    [written] = (await session.scalars(select(Mandate))).all()
    assert (written.person_id, written.delegation_id, written.group_id) == (
        person.id,
        delegation.id,
        group.id,
    )
    assert (written.term_number, written.is_group_leader) == (16, True)
    assert group.delegation_id == delegation.id
    assert staff.person_id == person.id
    scope = await session.scalar(select(StaffScope).where(col(StaffScope.staff_id) == staff.id))
    assert scope is not None
    assert scope.delegation_id == stored.id
    await session.refresh(stored)
    assert stored.level == "city"


async def test_a_link_to_a_row_of_the_same_stage_is_refused(session: AsyncSession) -> None:
    delegation = Delegation(name="洛阳市人大代表", level=Level.city)
    group = Group(name="第一代表小组", delegation_id=0)

    with pytest.raises(ValueError, match="Delegation is linked before it was written"):
        await apply_writes(
            session=session,
            stages=[
                [
                    Write(delegation, new=True),
                    Write(group, new=True, links={"delegation_id": delegation}),
                ]
            ],
        )
