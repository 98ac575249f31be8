"""A roster file sent by staff reaches only people in their scope: each known escape, tried.

Staff of 驻洛省 (CLERK) try to reach people of 驻郑省 through the files they upload.
"""

from __future__ import annotations

import re

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Delegation, Level, Mandate, Person, StaffMember, StaffRole, StaffScope
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_staff, make_document, make_user
from tests.harness import Harness
from tests.services.roster.builders import person, roster_csv

CLERK, VICTIM, THIEF = 5101, 5102, 5103
LUOYANG, ZHENG, CITY = "驻洛省十四届人大代表", "驻郑省十四届人大代表", "洛阳市人大代表"
PHONE = "13900000001"


async def _representative(
    session: AsyncSession,
    delegation: Delegation,
    name: str,
    *,
    phone: str | None = None,
    roster_id: str | None = None,
    telegram_id: int | None = None,
) -> Person:
    stored = Person(name=name, phone=phone, telegram_id=telegram_id)
    session.add(stored)
    await session.flush()
    assert stored.id is not None
    assert delegation.id is not None
    session.add(
        Mandate(
            person_id=stored.id,
            level=delegation.level,
            term_number=14,
            delegation_id=delegation.id,
            roster_id=roster_id,
        )
    )
    await session.flush()
    return stored


async def _clerk(session: AsyncSession) -> Delegation:
    luoyang = await add_delegation(session, LUOYANG)
    await add_staff(session, telegram_id=CLERK, delegations=[luoyang])
    return luoyang


async def _upload(tg: Harness, user_id: int, data: bytes, name: str = "roster.csv") -> str:
    user = make_user(user_id, language_code="en")
    await tg.feed(make_document(data, name, user=user, files=tg.api.files))
    return tg.api.last_text(user_id)


async def _reload(session: AsyncSession, person_id: int | None) -> Person:
    session.expire_all()
    found = await session.get(Person, person_id)
    assert found is not None
    return found


async def _mandate_delegations(session: AsyncSession, person_id: int | None) -> list[int]:
    query = select(Mandate.delegation_id).where(col(Mandate.person_id) == person_id)
    return list((await session.scalars(query)).all())


def _last_keyboard(tg: Harness, chat_id: int) -> list[str] | None:
    """The labels of the buttons under the last message (their data names the upload)."""
    markup = tg.api.sent(chat_id)[-1].reply_markup  # type: ignore[attr-defined]
    if markup is None:
        return None
    assert isinstance(markup, InlineKeyboardMarkup)
    return [button.text for row in markup.inline_keyboard for button in row]


async def test_a_look_alike_of_another_delegation_gets_no_mandate_and_cannot_be_taken_over(
    tg: Harness, session: AsyncSession
) -> None:
    await _clerk(session)
    zheng = await add_delegation(session, ZHENG)
    victim = await _representative(
        session, zheng, "孙强", phone=PHONE, roster_id="HA-9", telegram_id=VICTIM
    )
    victim_id, zheng_id = victim.id, zheng.id
    await session.commit()

    # Same name and phone: once the way one person got a second mandate, whoever uploaded.
    preview = await _upload(tg, CLERK, roster_csv(person("孙强", delegation=LUOYANG, phone=PHONE)))
    assert "Would be new: 1." in preview
    await tg.press_label(make_user(CLERK, language_code="en"), "Import")
    assert tg.api.last_text(CLERK).startswith("Imported roster.csv.")

    # The row made a new person of 驻洛省; 孙强 of 驻郑省 keeps his one mandate and his account.
    assert await _mandate_delegations(session, victim_id) == [zheng_id]
    namesakes = (await session.scalars(select(Person).where(col(Person.name) == "孙强"))).all()
    assert len(namesakes) == 2
    # Unlinking "孙强" now reaches only the clerk's own 孙强, never the account of the other one.
    await tg.send(make_user(CLERK, language_code="en"), "/rebind 孙强")
    assert (await _reload(session, victim_id)).telegram_id == VICTIM


async def test_another_delegations_staff_cannot_be_renamed_rephoned_or_given_scope(
    tg: Harness, session: AsyncSession
) -> None:
    luoyang = await _clerk(session)
    zheng = await add_delegation(session, ZHENG)
    staff_person = Person(name="孙丽", phone="13900000002", staff_code="S01", telegram_id=VICTIM)
    session.add(staff_person)
    await session.flush()
    her = StaffMember(person_id=staff_person.id, role=StaffRole.staff)
    session.add(her)
    await session.flush()
    assert her.id is not None
    assert zheng.id is not None
    session.add(StaffScope(staff_id=her.id, delegation_id=zheng.id))
    her_person_id, luoyang_id = staff_person.id, luoyang.id
    await session.commit()

    file = roster_csv(
        person(
            "孙丽丽", external_id="S01", delegation=LUOYANG, phone="13700000000", role="工作人员"
        ),
        person("孙丽", delegation=LUOYANG, phone="13900000002", role="工作人员"),
    )
    preview = await _upload(tg, CLERK, file)

    assert "Row 2: Only an administrator can import staff or administrators." in preview
    assert "Row 3: Only an administrator can import staff or administrators." in preview
    assert _last_keyboard(tg, CLERK) is None
    stored = await _reload(session, her_person_id)
    assert (stored.name, stored.phone) == ("孙丽", "13900000002")
    scopes = (await session.scalars(select(StaffScope.delegation_id))).all()
    assert scopes.count(luoyang_id) == 1  # the clerk's own, and no one else's


async def test_another_delegations_representative_cannot_be_made_own_staff(
    tg: Harness, session: AsyncSession
) -> None:
    await _clerk(session)
    zheng = await add_delegation(session, ZHENG)
    victim = await _representative(session, zheng, "孙强", phone=PHONE, telegram_id=VICTIM)
    victim_id = victim.id
    await session.commit()

    file = roster_csv(person("孙强", delegation=LUOYANG, phone=PHONE, role="工作人员"))
    preview = await _upload(tg, CLERK, file)

    assert "Row 2: Only an administrator can import staff or administrators." in preview
    assert _last_keyboard(tg, CLERK) is None
    staff = (await session.scalars(select(StaffMember))).all()
    assert [s.telegram_id for s in staff] == [CLERK]
    assert victim_id not in {s.person_id for s in staff}


async def test_staff_cannot_plant_a_staff_account_by_importing_themselves_twice(
    tg: Harness, session: AsyncSession
) -> None:
    await _clerk(session)
    await session.commit()
    clerk = make_user(CLERK, language_code="en")
    accomplice = make_user(THIEF, language_code="en")

    await _upload(tg, CLERK, roster_csv(person("周新", delegation=LUOYANG, phone=PHONE)))
    await tg.press_label(clerk, "Import")
    invitation = await tg.send(clerk, "/invite 周新")
    code = re.search(r"<code>([^<]+)</code>", invitation)
    assert code is not None
    welcome = await tg.send(accomplice, code.group(1))
    assert "周新" in welcome
    preview = await _upload(
        tg, CLERK, roster_csv(person("周新", delegation=LUOYANG, phone=PHONE, role="工作人员"))
    )

    assert "Row 2: Only an administrator can import staff or administrators." in preview
    assert _last_keyboard(tg, CLERK) is None
    planted = await session.scalars(
        select(StaffMember).join(Person, col(Person.id) == col(StaffMember.person_id))
    )
    assert planted.all() == []
    # The account is a representative's (who reads Chinese, the roster's default): staff commands
    # stay closed to it.
    refused = await tg.send(accomplice, "/invite 周新")
    assert refused.startswith("您的角色无法使用此功能")


async def _oracle_file() -> bytes:
    return roster_csv(
        # Name, phone and id of 孙强 of 驻郑省.
        person("孙强", external_id="HA-9", delegation=LUOYANG, phone=PHONE),
        # The id of 王建国's city mandate, at the provincial level.
        person("李四", external_id="LY-1", delegation=LUOYANG),
        # The name of 赵丽 of 驻郑省, with another phone.
        person("赵丽", delegation=LUOYANG, phone="13900000003"),
        # A delegation that exists only in the second round, and one that never exists.
        person("钱五", delegation=ZHENG),
        person("钱六", delegation="不存在的代表团"),
        person("孙强", delegation=LUOYANG, phone=PHONE, role="工作人员"),
    )


async def test_the_preview_is_the_same_whoever_exists_outside_the_scope(
    tg: Harness, session: AsyncSession
) -> None:
    await _clerk(session)
    await session.commit()
    file = await _oracle_file()
    before = await _upload(tg, CLERK, file)
    keyboard_before = _last_keyboard(tg, CLERK)

    zheng = await add_delegation(session, ZHENG)
    city = Delegation(name=CITY, level=Level.city)
    session.add(city)
    await session.flush()
    await _representative(session, zheng, "孙强", phone=PHONE, roster_id="HA-9", telegram_id=1)
    await _representative(session, city, "王建国", roster_id="LY-1", telegram_id=2)
    await _representative(session, zheng, "赵丽", phone="13900000009", telegram_id=3)
    await session.commit()
    after = await _upload(tg, CLERK, file)

    assert after == before
    assert _last_keyboard(tg, CLERK) == keyboard_before
    assert "王建国" not in after
    texts = [r for r in tg.api.requests if isinstance(r, SendMessage)]
    assert len(texts) == 2  # one message each, nothing else said


async def test_an_admin_still_links_one_person_across_delegations_and_adds_staff(
    tg: Harness, session: AsyncSession
) -> None:
    await _clerk(session)
    zheng = await add_delegation(session, ZHENG)
    sun = await _representative(session, zheng, "孙强", phone=PHONE, roster_id="HA-9")
    sun_id = sun.id
    await session.commit()
    admin = make_user(ADMIN_ID, language_code="en")

    await _upload(
        tg,
        ADMIN_ID,
        roster_csv(
            person("孙强", external_id="HA-9", delegation=LUOYANG, phone=PHONE),
            person("周敏", delegation=LUOYANG, role="工作人员", term=""),
        ),
    )
    await tg.press_label(admin, "Import")

    assert tg.api.last_text(ADMIN_ID).startswith("Imported roster.csv.")
    assert len(await _mandate_delegations(session, sun_id)) == 2
    staff = (await session.scalars(select(StaffMember))).all()
    assert sorted(s.role for s in staff) == [StaffRole.staff, StaffRole.staff]
