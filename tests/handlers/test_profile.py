from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Group, Level, Mandate, Person, Station
from tests.conftest import ADMIN_ID
from tests.factories import (
    add_delegation,
    add_representative,
    add_staff,
    make_my_chat_member,
    make_user,
)
from tests.harness import Harness


async def test_me_shows_both_mandates_of_a_two_level_representative(
    tg: Harness, session: AsyncSession
) -> None:
    province = await add_delegation(session, "驻洛省十四届人大代表")
    city = await add_delegation(session, "南阳市人大代表")
    person = await add_representative(session, telegram_id=61, delegation=province, name="李红梅")
    assert city.id is not None
    assert person.id is not None
    group = Group(name="宛城区小组", delegation_id=city.id)
    station = Station(name="宛城区新华街道代表联络站")
    session.add_all([group, station])
    await session.flush()
    session.add(
        Mandate(
            person_id=person.id,
            level=Level.city,
            term_number=18,
            delegation_id=city.id,
            group_id=group.id,
            station_id=station.id,
            is_group_leader=True,
        )
    )
    person.phone = "13837900102"
    await session.commit()
    answer = await tg.send(make_user(61, language_code="zh"), "/me")
    assert answer.splitlines()[:3] == ["<b>李红梅</b>", "身份：代表、小组组长", "语言：中文"]
    assert "手机：13837900102" in answer
    assert "• 第14届省级人大代表：驻洛省十四届人大代表" in answer
    city_lines = ["• 第18届市级人大代表：南阳市人大代表", "  代表小组：宛城区小组（组长）"]
    city_lines.append("  联络站：宛城区新华街道代表联络站")
    assert "\n".join(city_lines) in answer


async def test_blocking_and_unblocking_the_bot_marks_reachability(
    tg: Harness, session: AsyncSession
) -> None:
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=62, delegation=delegation)
    person_id = person.id
    await session.commit()
    for status, expected in (("kicked", True), ("member", False)):
        await tg.feed(
            make_my_chat_member(make_user(62), old="member" if expected else "kicked", new=status)
        )
        session.expire_all()
        stored = await session.get(Person, person_id)
        assert stored is not None
        assert stored.unreachable is expected
        await session.commit()


async def test_staff_me_shows_the_delegations_they_look_after(
    tg: Harness, session: AsyncSession
) -> None:
    first = await add_delegation(session, "驻洛省十四届人大代表")
    second = await add_delegation(session, "南阳市人大代表")
    await add_delegation(session, "郑州市人大代表")
    await add_staff(session, telegram_id=63, delegations=[first, second])
    await session.commit()
    answer = await tg.send(make_user(63, language_code="en"), "/me")
    assert "Delegations you look after: 南阳市人大代表, 驻洛省十四届人大代表" in answer
    admin = await tg.send(make_user(ADMIN_ID, language_code="zh"), "/me")
    assert "负责的代表团：全部" in admin


async def test_writing_again_makes_a_person_flagged_unreachable_reachable(
    tg: Harness, session: AsyncSession
) -> None:
    """A 403 flagged them; the member update of their unblocking never came (Telegram keeps
    updates a day): a message from them in their chat with the bot is proof enough."""
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=64, delegation=delegation)
    person.unreachable = True
    person_id = person.id
    await session.commit()
    await tg.send(make_user(64), "/help")
    session.expire_all()
    stored = await session.get(Person, person_id)
    assert stored is not None
    assert stored.unreachable is False


async def test_a_block_is_not_undone_by_the_block_update_itself(
    tg: Harness, session: AsyncSession
) -> None:
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=65, delegation=delegation)
    person.unreachable = True
    person_id = person.id
    await session.commit()
    await tg.feed(make_my_chat_member(make_user(65), old="member", new="kicked"))
    session.expire_all()
    stored = await session.get(Person, person_id)
    assert stored is not None
    assert stored.unreachable is True
