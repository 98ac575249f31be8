from __future__ import annotations

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.cli.seed import ACCOUNTS, seed_demo
from services.actors import resolve_actor
from services.config import Settings
from services.permissions import Role
from storage.models import Delegation, Group, Mandate, Person, Station


async def _count(session: AsyncSession, table: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_demo_roster_is_loaded_and_linked_once(
    session: AsyncSession, settings: Settings
) -> None:
    first = await seed_demo(session=session, settings=settings)
    await session.commit()
    assert first.report.applied
    assert first.report.errors == []
    assert await _count(session, Delegation) == 2
    assert await _count(session, Group) == 4
    assert await _count(session, Station) == 2
    assert await _count(session, Person) == 13  # 李红梅 holds two mandates
    li = await session.scalar(select(Person).where(col(Person.name) == "李红梅"))
    assert li is not None
    mandates = await session.scalars(select(Mandate).where(col(Mandate.person_id) == li.id))
    assert sorted(m.level for m in mandates.all()) == ["city", "province"]
    assert [i.name for i in first.invitations] == ["赵丽娟", "郑雅琴"]

    roles = {}
    for account in ACCOUNTS:
        actor = await resolve_actor(
            session=session, telegram_id=account.telegram_id, language_code="zh", settings=settings
        )
        roles[account.key] = actor.roles
    assert roles["HA14-0101"] == {Role.representative, Role.group_leader}
    assert roles["STAFF-NY01"] == {Role.staff}
    assert roles["ADMIN-01"] == {Role.admin}
    await session.commit()

    again = await seed_demo(session=session, settings=settings)
    await session.commit()
    assert (again.report.created, again.report.updated) == (0, 0)
    assert await _count(session, Person) == 13
