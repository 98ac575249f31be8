"""/concerns for representatives (open ones, oldest first, paged) and for staff (by group)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from aiogram.methods import SendMessage
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.concerns_keyboards import ConcernList
from storage.models import Delegation, Group, Mandate, Person
from tests.conftest import ADMIN_ID
from tests.factories import (
    add_concern,
    add_delegation,
    add_representative,
    add_staff,
    make_user,
)
from tests.handlers.test_concerns_flow import last_buttons
from tests.harness import Harness

REP, STAFF, OUTSIDER = 8401, 8402, 8403


def days_ago(days: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=days)


async def join_group(session: AsyncSession, person: Person, name: str) -> None:
    mandate = (
        await session.scalars(select(Mandate).where(col(Mandate.person_id) == person.id))
    ).one()
    group = Group(name=name, delegation_id=mandate.delegation_id)
    session.add(group)
    await session.flush()
    mandate.group_id = group.id
    await session.flush()


async def test_a_representative_sees_open_concerns_oldest_first_with_their_age(
    tg: Harness, session: AsyncSession
) -> None:
    person = await add_representative(
        session, telegram_id=REP, delegation=await add_delegation(session)
    )
    young = await add_concern(session, person=person, summary="新的", created_at=days_ago(2))
    old = await add_concern(
        session, person=person, summary="旧的<br>", created_at=days_ago(40), state="forwarded"
    )
    await add_concern(session, person=person, summary="已解决", state="resolved")
    await add_concern(session, person=person, summary="已关闭", state="closed")
    ids = (old.id, young.id)
    await session.commit()
    answer = await tg.send(make_user(REP), "/concerns")
    assert answer.splitlines() == [
        "您的待办社情民意（2件），按登记先后排列：",
        f"#{ids[0]} · 民生保障 · 已转办 · 40天",
        "  旧的&lt;br&gt;",
        f"#{ids[1]} · 民生保障 · 已受理 · 2天",
        "  新的",
    ]
    assert last_buttons(tg, REP) == [f"#{ids[0]}", f"#{ids[1]}"]
    # One page: no pager, and no empty row where it would stand.
    markup = tg.api.sent(REP)[-1].reply_markup  # type: ignore[attr-defined]
    assert all(markup.inline_keyboard)
    await tg.press_label(make_user(REP), f"#{ids[0]}")
    assert tg.api.last_text(REP).startswith(f"<b>第{ids[0]}号民意</b>")


@pytest.mark.parametrize(("count", "pages"), [(0, 1), (10, 1), (11, 2)])
async def test_a_representatives_list_pages_by_ten(
    count: int, pages: int, tg: Harness, session: AsyncSession
) -> None:
    person = await add_representative(
        session, telegram_id=REP, delegation=await add_delegation(session)
    )
    for index in range(count):
        await add_concern(session, person=person, created_at=days_ago(100 - index))
    await session.commit()
    answer = await tg.send(make_user(REP), "/concerns")
    if count == 0:
        assert answer == "您没有待办的社情民意。可通过 /concern 登记。"
        return
    assert answer.count("\n#") + answer.startswith("#") == min(count, 10)
    assert ("第1页，共2页" in answer) is (pages == 2)
    if pages == 2:
        assert last_buttons(tg, REP)[-1] == "下一页 »"
        await tg.press(make_user(REP), ConcernList(page=1, mine=True))
        second = tg.api.last_text(REP)
        assert "第2页，共2页" in second
        assert second.count("天\n") == 1
        assert last_buttons(tg, REP)[-1] == "« 上一页"


async def seed_scope(session: AsyncSession) -> dict[str, int]:
    """Two delegations; staff look after the first; concerns in groups, no group, and outside."""
    inside = await add_delegation(session, "驻洛省十四届人大代表")
    outside: Delegation = await add_delegation(session, "郑州市人大代表")
    wang = await add_representative(session, telegram_id=REP, delegation=inside)
    li = await add_representative(session, telegram_id=None, delegation=inside, name="李<红梅>")
    zhao = await add_representative(session, telegram_id=None, delegation=inside, name="赵刚")
    far = await add_representative(session, telegram_id=OUTSIDER, delegation=outside, name="外人")
    await join_group(session, wang, "西工区小组")
    await join_group(session, li, "涧西区小组")
    ids = {
        "wang_done": await add_concern(
            session, person=wang, state="resolved", created_at=days_ago(30)
        ),
        "wang_open": await add_concern(session, person=wang, created_at=days_ago(5)),
        "li_open": await add_concern(session, person=li, category="education"),
        "zhao_open": await add_concern(session, person=zhao, category="custom_code"),
        "far_open": await add_concern(session, person=far, summary="外部的"),
    }
    await add_staff(session, telegram_id=STAFF, delegations=[inside])
    result = {name: concern.id or 0 for name, concern in ids.items()}
    await session.commit()
    return result


async def test_staff_see_their_scope_by_group_open_ones_first(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await seed_scope(session)
    answer = await tg.send(make_user(STAFF), "/concerns")
    assert answer.splitlines() == [
        "您负责范围内的社情民意（4件），按代表小组排列，待办在前：",
        "<b>涧西区小组</b>",
        f"#{ids['li_open']} · 李&lt;红梅&gt; · 教育 · 已受理 · 0天",
        "<b>西工区小组</b>",
        f"#{ids['wang_open']} · 王建国 · 民生保障 · 已受理 · 5天",
        f"#{ids['wang_done']} · 王建国 · 民生保障 · 已解决 · 30天",
        "<b>未分组</b>",
        f"#{ids['zhao_open']} · 赵刚 · custom_code · 已受理 · 0天",
    ]
    assert last_buttons(tg, STAFF)[-1] == "导出 XLSX"
    admin = await tg.send(make_user(ADMIN_ID), "/concerns")
    assert "（5件）" in admin
    assert f"#{ids['far_open']} · 外人" in admin


async def test_staff_outside_the_scope_get_the_same_answers_as_for_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await seed_scope(session)
    answer = await tg.send(make_user(STAFF), "/concerns")
    assert "外人" not in answer
    staff = make_user(STAFF)
    await tg.press(staff, f"copen:{ids['far_open']}")
    await tg.press(staff, "copen:999999")
    alerts = tg.api.alerts()
    assert alerts[-2:] == ["该记录不存在，或不属于您。"] * 2


async def test_staff_open_a_card_in_scope_read_only(tg: Harness, session: AsyncSession) -> None:
    ids = await seed_scope(session)
    await tg.press(make_user(STAFF), f"copen:{ids['li_open']}")
    card = tg.api.last_text(STAFF)
    assert card.startswith(f"<b>第{ids['li_open']}号民意</b> · 教育 · 已受理\n代表：李&lt;红梅&gt;")
    request = tg.api.sent(STAFF)[-1]
    assert isinstance(request, SendMessage)
    assert request.reply_markup is None  # no state buttons, and no contact to erase


async def test_someone_both_staff_and_representative_gets_the_staff_view_and_their_own(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await seed_scope(session)
    await add_staff(session, telegram_id=REP, delegations=[])
    await session.commit()
    user = make_user(REP)
    answer = await tg.send(user, "/concerns")
    assert answer == "您负责范围内暂无社情民意。"
    assert last_buttons(tg, REP) == ["导出 XLSX", "我的社情民意"]
    await tg.press_label(user, "我的社情民意")
    mine = tg.api.last_text(REP)
    assert mine.startswith("您的待办社情民意（1件）")
    assert f"#{ids['wang_open']}" in mine
    assert (await tg.send(user, "/concerns mine")) == mine
