"""A representative group with a leader and members, another group elsewhere, staff, and
meetings built directly, for the group-meeting tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.delivery_models import Delivery, DeliveryRecipient
from storage.meeting_models import Meeting
from storage.models import Group, Mandate, Person
from tests.factories import add_delegation, add_representative, add_staff

LEADER, WANG, LI, ZHAO, OUTSIDER, CLERK, FAR_CLERK = 8101, 8102, 8103, 8104, 8105, 8106, 8107
BEIJING = ZoneInfo("Asia/Shanghai")


def local(day: date, hour: int, minute: int = 0, tz: ZoneInfo = BEIJING) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz).astimezone(UTC)


@dataclass
class World:
    group: Group
    other: Group
    people: dict[str, Person] = field(default_factory=dict)

    def pid(self, name: str) -> int:
        person_id = self.people[name].id
        assert person_id is not None
        return person_id


async def _join(session: AsyncSession, person: Person, group: Group, leader: bool = False) -> None:
    mandate = (
        await session.scalars(select(Mandate).where(col(Mandate.person_id) == person.id))
    ).one()
    mandate.group_id, mandate.is_group_leader = group.id, leader
    session.add(mandate)


async def build_world(session: AsyncSession) -> World:
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    nanyang = await add_delegation(session, "南阳市人大代表")
    assert luoyang.id is not None
    assert nanyang.id is not None
    group = Group(name="第一<小组>", delegation_id=luoyang.id)
    other = Group(name="南阳小组", delegation_id=nanyang.id)
    session.add_all([group, other])
    await session.flush()
    world = World(group, other)
    for name, telegram_id, delegation, home, leader in (
        ("leader", LEADER, luoyang, group, True),
        ("wang", WANG, luoyang, group, False),
        ("li", LI, luoyang, group, False),
        ("zhao", ZHAO, luoyang, group, False),
        ("outsider", OUTSIDER, nanyang, other, True),
    ):
        person = await add_representative(
            session, telegram_id=telegram_id, delegation=delegation, name=f"{name}<代表>"
        )
        await _join(session, person, home, leader)
        world.people[name] = person
    await add_staff(session, telegram_id=CLERK, delegations=[luoyang])
    await add_staff(session, telegram_id=FAR_CLERK, delegations=[nanyang])
    # Staff reach the delivery engine through a roster person with their Telegram id.
    clerk = Person(name="联络员", telegram_id=CLERK)
    session.add(clerk)
    await session.flush()
    world.people["clerk"] = clerk
    await session.commit()
    return world


async def add_meeting(
    session: AsyncSession,
    world: World,
    starts: datetime,
    ends: datetime,
    *,
    published: datetime,
    code: str = "4821",
    latitude: float | None = 34.6197,
    longitude: float | None = 112.4540,
) -> Meeting:
    meeting = Meeting(
        group_id=world.group.id or 0,
        delegation_id=world.group.delegation_id,
        title="季度<调研>",
        starts_at=starts,
        ends_at=ends,
        place="市人大502会议室",
        latitude=latitude,
        longitude=longitude,
        agenda="文旅融合",
        organiser_telegram_id=LEADER,
        organiser_person_id=world.pid("leader"),
        checkin_code=code,
        created_at=published,
        updated_at=published,
    )
    session.add(meeting)
    await session.commit()
    return meeting


async def deliveries(session: AsyncSession) -> list[Delivery]:
    rows = await session.scalars(
        select(Delivery).order_by(col(Delivery.id)).execution_options(populate_existing=True)
    )
    return list(rows)


async def keys(session: AsyncSession) -> list[str]:
    return [d.dedupe_key for d in await deliveries(session)]


async def recipients_of(session: AsyncSession, key: str) -> list[int]:
    rows = await session.scalars(
        select(DeliveryRecipient.person_id)
        .join(Delivery, col(Delivery.id) == col(DeliveryRecipient.delivery_id))
        .where(col(Delivery.dedupe_key) == key)
    )
    return sorted(rows)
