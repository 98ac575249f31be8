"""A small roster whose report figures are known by hand (tests of reports share it).

Luoyang (洛阳) has groups 一组 (王建国 leads, 李红梅) and 二组 (张伟, 赵敏 who logs nothing), and
the station 涧西站 where 王建国 and 李红梅 sit; Nanyang (南阳) has 孙华, who must never appear in
Luoyang's figures. 2024Q1 in Luoyang: 5 activities, 16 points; duty 3, served 1, missed 2;
concerns received 3, resolved 2, closed 1, open (0, 1, 1, 1); issue 1 read by 2 of 4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.deliveries.model import People
from storage.bulletin_models import BulletinIssue, BulletinRead
from storage.duty_models import ConcernState
from storage.models import Delegation, Group, Mandate, Person, Station
from storage.rota_models import DutyAssignment
from tests.bulletin_kit import publish_issue_to
from tests.factories import (
    add_activity,
    add_activity_types,
    add_concern,
    add_delegation,
    add_representative,
    add_staff,
)

# The day the Luoyang reports are made: 2024Q1 is over, 2024Q2 is under way.
NOW = datetime(2024, 4, 10, 4, 0, tzinfo=UTC)
CLERK, NANYANG_CLERK, LEADER, MEMBER = 7301, 7302, 7303, 7304


@dataclass
class World:
    luoyang: Delegation
    nanyang: Delegation
    group_one: Group
    group_two: Group
    group_ny: Group
    station: Station
    people: dict[str, Person]


def _utc(year: int, month: int, day: int, hour: int = 2) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


async def _group(session: AsyncSession, name: str, delegation: Delegation) -> Group:
    assert delegation.id is not None
    group = Group(name=name, delegation_id=delegation.id)
    session.add(group)
    await session.flush()
    return group


async def _place(
    session: AsyncSession, person: Person, group: Group, station: Station | None = None
) -> None:
    mandate = (
        await session.scalars(select(Mandate).where(col(Mandate.person_id) == person.id))
    ).one()
    mandate.group_id = group.id
    mandate.station_id = station.id if station else None
    session.add(mandate)
    await session.flush()


async def build_world(session: AsyncSession) -> World:
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    nanyang = await add_delegation(session, "南阳市人大代表")
    await add_activity_types(session)
    one, two = await _group(session, "一组", luoyang), await _group(session, "二组", luoyang)
    ny = await _group(session, "南阳组", nanyang)
    station = Station(name="涧西站", delegation_id=luoyang.id)
    session.add(station)
    await session.flush()
    people: dict[str, Person] = {}
    for key, name, delegation, group, at_station, telegram_id, leader in (
        ("wang", "王建国", luoyang, one, station, LEADER, True),
        ("li", "李红梅", luoyang, one, station, MEMBER, False),
        ("zhang", "张伟", luoyang, two, None, 7305, False),
        ("zhao", "赵敏", luoyang, two, None, 7306, False),
        ("sun", "孙华", nanyang, ny, None, 7307, False),
    ):
        person = await add_representative(
            session, telegram_id=telegram_id, delegation=delegation, name=name, leader=leader
        )
        await _place(session, person, group, at_station)
        people[key] = person
    await add_staff(session, telegram_id=CLERK, delegations=[luoyang])
    await add_staff(session, telegram_id=NANYANG_CLERK, delegations=[nanyang])
    world = World(luoyang, nanyang, one, two, ny, station, people)
    await _activities(session, people)
    await _duty(session, station, people)
    await _concerns(session, people)
    await _bulletins(session, people)
    await session.commit()
    return world


async def _activities(session: AsyncSession, p: dict[str, Person]) -> None:
    deleted: datetime | None = _utc(2024, 3, 3)
    for person, code, day, deleted_at in (
        ("wang", "inspection", date(2024, 1, 10), None),
        ("wang", "reception", date(2024, 1, 17), None),
        ("wang", "research", date(2024, 2, 5), None),
        ("li", "inspection", date(2024, 3, 1), None),
        ("li", "inspection", date(2024, 3, 2), deleted),
        ("zhang", "congress_session", date(2024, 1, 20), None),
        ("wang", "inspection", date(2023, 12, 31), None),
        ("wang", "inspection", date(2024, 4, 1), None),
        ("sun", "inspection", date(2024, 2, 1), None),
    ):
        await add_activity(
            session, p[person], type_code=code, happened_on=day, deleted_at=deleted_at
        )


async def _duty(session: AsyncSession, station: Station, p: dict[str, Person]) -> None:
    assert station.id is not None
    for person, day in (
        ("wang", date(2024, 1, 17)),  # served: his reception that day
        ("li", date(2024, 1, 17)),  # missed
        ("li", date(2024, 3, 27)),  # missed
        ("wang", date(2024, 4, 10)),  # today: upcoming
        ("li", date(2024, 4, 17)),  # upcoming
    ):
        person_id = p[person].id
        assert person_id is not None
        session.add(
            DutyAssignment(
                station_id=station.id,
                day=day,
                person_id=person_id,
                starts_at=time(9),
                ends_at=time(12),
            )
        )
    await session.flush()


async def _concerns(session: AsyncSession, p: dict[str, Person]) -> None:
    for person, created, state, touched in (
        ("wang", _utc(2024, 2, 20), "received", None),
        ("li", _utc(2024, 2, 10), "resolved", _utc(2024, 3, 1)),
        # 00:30 on 1 April in Shanghai: the second quarter's.
        ("zhang", datetime(2024, 3, 31, 16, 30, tzinfo=UTC), "forwarded", None),
        ("wang", _utc(2023, 11, 1), "resolved", _utc(2024, 1, 15)),
        ("zhao", _utc(2023, 12, 1), "closed", _utc(2024, 2, 1)),
        ("wang", _utc(2023, 10, 1), "answered", None),
        ("li", _utc(2024, 3, 25), "received", None),
        ("sun", _utc(2024, 2, 1), "received", None),
    ):
        concern = await add_concern(session, person=p[person], created_at=created)
        concern.state = ConcernState(state)
        concern.touched_at = touched or created
        session.add(concern)
    await session.flush()


async def _bulletins(session: AsyncSession, p: dict[str, Person]) -> None:
    everyone = [person.id for person in p.values() if person.id is not None]
    for number, published in ((1, _utc(2024, 2, 1)), (2, _utc(2024, 4, 2))):
        issue = BulletinIssue(
            year=2024, number=number, issued_on=published.date(), title=f"代表工作 第{number}期"
        )
        session.add(issue)
        await session.flush()
        await publish_issue_to(session, issue, People(everyone), published)
        assert issue.id is not None
        for reader in ("wang", "zhang", "sun"):
            person_id = p[reader].id
            assert person_id is not None
            session.add(BulletinRead(issue_id=issue.id, person_id=person_id, read_at=published))
    await session.flush()
