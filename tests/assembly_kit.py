"""What the bulletin assembly tests share: two delegations, their representatives and staff,
and activities marked for the bulletin."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.permissions import Role
from storage.duty_models import Activity
from storage.models import Person
from tests.factories import (
    add_activity,
    add_activity_types,
    add_delegation,
    add_representative,
    add_staff,
)

LUOYANG, NANYANG = "驻洛省十四届人大代表", "驻宛省十四届人大代表"
STAFF_LUOYANG, STAFF_NANYANG = 8101, 8102
REP_LUOYANG, REP_NANYANG = 8111, 8112


@dataclass
class Office:
    luoyang: int
    nanyang: int
    wang: Person
    zhang: Person
    # Luoyang's marked activities, newest first, then Nanyang's.
    inspection: Activity
    reception: Activity
    nanyang_visit: Activity


def staff_of(delegation_id: int, telegram_id: int = STAFF_LUOYANG) -> Actor:
    return Actor(
        telegram_id=telegram_id,
        roles=frozenset({Role.staff}),
        locale="zh",
        scope=frozenset({delegation_id}),
    )


async def office(session: AsyncSession) -> Office:
    await add_activity_types(session)
    luoyang = await add_delegation(session, LUOYANG)
    nanyang = await add_delegation(session, NANYANG)
    await add_staff(session, telegram_id=STAFF_LUOYANG, delegations=[luoyang])
    await add_staff(session, telegram_id=STAFF_NANYANG, delegations=[nanyang])
    wang = await add_representative(
        session, telegram_id=REP_LUOYANG, delegation=luoyang, name="王建国"
    )
    zhang = await add_representative(
        session, telegram_id=REP_NANYANG, delegation=nanyang, name="张伟"
    )
    inspection = await add_activity(
        session,
        wang,
        happened_on=date(2024, 3, 20),
        summary="到隋唐城遗址植物园视察园林景观提质。听取了管理处关于遗址保护、园林绿化和游客服务设施建设情况的汇报并实地查看",
        for_bulletin=True,
        bulletin_note="建议把遗址保护和城市园林结合起来",
    )
    reception = await add_activity(
        session,
        wang,
        type_code="reception",
        happened_on=date(2024, 3, 13),
        summary="在石油社区代表联络站接待群众12人次，收集意见5条。",
        for_bulletin=True,
    )
    # Not marked, and marked but deleted: never offered.
    await add_activity(session, wang, happened_on=date(2024, 3, 21), summary="座谈")
    await add_activity(
        session,
        wang,
        happened_on=date(2024, 3, 22),
        summary="已删除",
        for_bulletin=True,
        deleted_at=datetime(2024, 3, 23, tzinfo=UTC),
    )
    nanyang_visit = await add_activity(
        session,
        zhang,
        happened_on=date(2024, 3, 18),
        summary="到镇平县玉雕产业调研。",
        for_bulletin=True,
    )
    await session.commit()
    assert luoyang.id is not None
    assert nanyang.id is not None
    return Office(luoyang.id, nanyang.id, wang, zhang, inspection, reception, nanyang_visit)
