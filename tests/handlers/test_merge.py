"""Admins in the chat: /duplicates, then /merge with a card to confirm."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from storage.audit import list_audit
from storage.models import Mandate, Person
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_representative, make_user
from tests.harness import Harness


async def _twins(session: AsyncSession) -> tuple[int, int]:
    keep = await add_representative(
        session, telegram_id=None, delegation=await add_delegation(session, "驻洛省十四届人大代表")
    )
    other = await add_representative(
        session, telegram_id=41, delegation=await add_delegation(session, "南阳市人大代表")
    )
    keep.phone = other.phone = "13837900101"
    session.add_all([keep, other])
    await session.commit()
    assert keep.id is not None
    assert other.id is not None
    return keep.id, other.id


async def test_an_admin_finds_and_merges_two_entries_of_one_person(
    tg: Harness, session: AsyncSession
) -> None:
    keep, other = await _twins(session)
    admin = make_user(ADMIN_ID, language_code="zh")
    listed = await tg.send(admin, "/duplicates")
    assert listed.splitlines()[1:4] == [
        "<b>王建国</b> · 13837900101",
        f"  {keep} — 驻洛省十四届人大代表 — 未绑定",
        f"  {other} — 南阳市人大代表 — 已绑定",
    ]
    card = await tg.send(admin, f"/merge {keep} {other}")
    assert f"保留：王建国 · {keep} — 驻洛省十四届人大代表 — 未绑定" in card
    people = (await session.scalars(select(Person))).all()
    await session.commit()
    assert len(people) == 2
    await tg.press_label(admin, "确认")
    await tg.press_label(admin, "确认")
    assert tg.api.alerts() == ["该按钮已使用过。"]
    assert tg.api.last_text(ADMIN_ID) == f"已将 {other} 并入 {keep}：转移代表职务 1 项。"
    session.expire_all()
    merged = await session.get(Person, keep)
    assert merged is not None
    assert merged.telegram_id == 41
    assert await session.get(Person, other) is None
    assert (await session.scalars(select(Mandate.person_id))).all() == [keep, keep]
    (entry,) = await list_audit(session=session, action="person.merge")
    assert entry.actor_telegram_id == ADMIN_ID


async def test_merge_explains_its_arguments(tg: Harness, session: AsyncSession) -> None:
    await _twins(session)
    admin = make_user(ADMIN_ID, language_code="en")
    for text in ("/merge", "/merge 1", "/merge a b", "/merge 1 99999999999"):
        answer = await tg.send(admin, text)
        assert answer == "Send /merge and two entry ids from /duplicates, e.g. /merge 12 34"
    assert await tg.send(admin, "/merge 1 1") == "An entry cannot be merged with itself."
