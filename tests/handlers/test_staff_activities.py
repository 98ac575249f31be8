"""/activities: staff read a person's year within their delegations, deleted entries marked."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.staff_activities import StaffEntryCallback, StaffPageCallback
from storage.models import Person
from tests.conftest import ADMIN_ID
from tests.factories import (
    add_activity,
    add_activity_types,
    add_delegation,
    add_representative,
    add_staff,
    make_message,
    make_user,
)
from tests.handlers.test_history import buttons
from tests.harness import Harness

CLERK, REP = 7201, 7202
NOW = datetime(2024, 5, 20, 4, 0, tzinfo=UTC)
NOBODY = "您负责的代表团中没有名叫 {name} 的人员。"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("handlers.staff_activities.utcnow", lambda: NOW)


async def _setup(session: AsyncSession) -> dict[str, Person]:
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    nanyang = await add_delegation(session, "南阳市人大代表")
    await add_activity_types(session)
    people = {}
    for key, name, delegation, telegram_id in (
        ("wang", "王建国", luoyang, REP),
        ("sun", "孙华", nanyang, None),
        ("twin1", "张伟", luoyang, None),
        ("twin2", "张伟", luoyang, None),
    ):
        people[key] = await add_representative(
            session, telegram_id=telegram_id, delegation=delegation, name=name
        )
    await add_staff(session, telegram_id=CLERK, delegations=[luoyang])
    return people


async def test_a_person_in_scope_their_year_deleted_marked(
    tg: Harness, session: AsyncSession
) -> None:
    people = await _setup(session)
    wang = people["wang"]
    await add_activity(session, wang, happened_on=date(2024, 4, 2), summary="<b>视察</b>")
    await add_activity(
        session, wang, type_code="reception", happened_on=date(2024, 1, 3), deleted_at=NOW
    )
    await add_activity(session, wang, happened_on=date(2023, 12, 30), summary="去年的")
    await session.commit()
    clerk = make_user(CLERK)
    answer = await tg.send(clerk, "/activities 王建国")
    lines = answer.split("\n")
    # Deleted entries are listed, marked, and earn nothing.
    assert lines[:4] == ["<b>王建国</b> · 2024年", "积分：3", "共2条，第1/1页", ""]
    assert lines[4] == "<b>1.</b> 2024年4月2日（周二） · 视察 · 3分"
    assert lines[5] == "    &lt;b&gt;视察&lt;/b&gt;"
    assert lines[6] == "<b>2.</b> 2024年1月3日（周三） · 接待群众 · 2分（已删除）"
    assert "去年的" not in answer
    last_year = await tg.send(clerk, "/activities 王建国 ２０２３")
    assert last_year.startswith("<b>王建国</b> · 2023年\n积分：3\n共1条，第1/1页")
    # A deleted entry opens read-only, saying when it was deleted.
    await tg.send(clerk, "/activities 王建国 2024")
    await tg.press(clerk, buttons(tg, CLERK)["2"])
    card = tg.api.texts(CLERK)[-1]
    assert card.startswith("<b>接待群众</b>\n代表：王建国\n已于2024年5月20日（周一）删除\n")
    assert buttons(tg, CLERK) == {
        "返回列表": StaffPageCallback(person_id=wang.id or 0, year=2024, page=0).pack()
    }
    await tg.press(clerk, buttons(tg, CLERK)["返回列表"])
    assert tg.api.texts(CLERK)[-1].startswith("<b>王建国</b> · 2024年")


@pytest.mark.parametrize("name", ["孙华", "无此人", "王建国 1800"])
async def test_out_of_scope_and_unknown_read_alike(
    tg: Harness, session: AsyncSession, name: str
) -> None:
    await _setup(session)
    await session.commit()
    answer = await tg.send(make_user(CLERK), f"/activities {name}")
    if name.endswith("1800"):
        assert answer.startswith("请发送 /activities 加姓名")
    else:
        assert answer == NOBODY.format(name=name)


async def test_namesakes_offer_a_choice(tg: Harness, session: AsyncSession) -> None:
    people = await _setup(session)
    await add_activity(session, people["twin2"], happened_on=date(2024, 2, 2), summary="二号")
    await session.commit()
    clerk = make_user(CLERK)
    assert await tg.send(clerk, "/activities 张伟") == "有多人符合，请选择："
    markup = getattr(tg.api.sent(CLERK)[-1], "reply_markup", None)
    assert isinstance(markup, InlineKeyboardMarkup)
    choices = [str(row[0].callback_data) for row in markup.inline_keyboard]
    assert [row[0].text for row in markup.inline_keyboard] == ["张伟 · 驻洛省十四届人大代表"] * 2
    await tg.press(clerk, choices[1])
    assert "二号" in tg.api.texts(CLERK)[-1]
    tg.api.clear()
    await tg.press(clerk, choices[0])
    assert tg.api.alerts() == ["该按钮已使用过。"]


async def test_out_of_scope_pages_and_entries_are_not_found(
    tg: Harness, session: AsyncSession
) -> None:
    people = await _setup(session)
    sun = people["sun"]
    theirs = await add_activity(session, sun, summary="南阳的记录")
    await session.commit()
    assert sun.id is not None
    assert theirs.id is not None
    clerk = make_user(CLERK)
    await tg.press(clerk, StaffPageCallback(person_id=sun.id, year=2024, page=0))
    await tg.press(clerk, StaffEntryCallback(activity_id=theirs.id, page=0))
    assert tg.api.alerts() == ["该记录不存在，或不属于您。"] * 2
    assert [r for r in tg.api.sent(CLERK) if isinstance(r, SendMessage)] == []
    # An admin sees every delegation.
    await tg.press(make_user(ADMIN_ID), StaffEntryCallback(activity_id=theirs.id, page=0))
    assert "南阳的记录" in tg.api.texts(ADMIN_ID)[-1]


async def test_representatives_may_not_use_it(tg: Harness, session: AsyncSession) -> None:
    await _setup(session)
    await session.commit()
    answer = await tg.send(make_user(REP), "/activities 王建国")
    assert answer.startswith("您的角色无法使用此功能。")


async def test_names_and_texts_are_escaped_and_english_reads_alike(
    tg: Harness, session: AsyncSession
) -> None:
    people = await _setup(session)
    bold = people["twin1"]
    bold.name = "<b>李&红</b>"
    session.add(bold)
    await add_activity(session, bold, happened_on=date(2024, 3, 15), place="<i>洛阳</i>")
    await session.commit()
    english = make_user(CLERK, language_code="en")
    await tg.feed(make_message("/lang en", user=english))
    answer = await tg.send(english, "/activities <b>李&红</b> 2024")
    assert answer.split("\n")[:4] == [
        "<b>&lt;b&gt;李&amp;红&lt;/b&gt;</b> · 2024",
        "Points: 3",
        "Entries: 1, page 1 of 1",
        "",
    ]
    assert "Fri 15 Mar 2024 · Inspection · &lt;i&gt;洛阳&lt;/i&gt; · 3 pts" in answer
