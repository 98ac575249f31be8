"""Quick entry: `/log <text>`, and free text that starts with a type's name offered as one."""

from __future__ import annotations

from datetime import date

import pytest
from aiogram.methods import EditMessageReplyMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.log_keyboards import QuickOffer
from tests.factories import add_staff, make_user
from tests.handlers.log_support import activities, labels, last_card, last_markup, seed_rep
from tests.harness import Harness

FULL = "请核对后保存"


@pytest.mark.parametrize(
    "text",
    [
        "/log 视察 2024-03-15 洛阳博物馆 文旅文创融合调研",
        "/log 2024-03-15 视察 洛阳博物馆 文旅文创融合调研",
        "/log 洛阳博物馆 文旅文创融合调研 视察 2024年3月15日",
        "/log 视察　２０２４－０３－１５　洛阳博物馆　文旅文创融合调研",
    ],
)
async def test_a_complete_quick_entry_goes_straight_to_the_card(
    text: str, tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session, language="zh")
    card = await tg.send(rep.user, text)
    assert FULL in card
    assert "类型：视察" in card
    assert "日期：2024年3月15日（周五）" in card
    assert "地点：洛阳博物馆" in card
    assert "内容：文旅文创融合调研" in card
    await tg.press_label(rep.user, "保存")
    [row] = await activities(session, rep.person_id)
    assert (row.happened_on, row.place, row.summary) == (
        date(2024, 3, 15),
        "洛阳博物馆",
        "文旅文创融合调研",
    )


async def test_what_is_missing_is_asked_in_flow_order(tg: Harness, session: AsyncSession) -> None:
    rep = await seed_rep(session, language="zh")
    assert (await tg.send(rep.user, "/log 调研 产业园区情况")).startswith("活动是哪天进行的？")
    assert (await tg.send(rep.user, "2024-03-15")).startswith("活动地点在哪里？")
    card = await tg.send(rep.user, "产业园")
    assert "类型：调研" in card
    assert "地点：产业园" in card
    assert "内容：产业园区情况" in card
    # The card above is not saved: the new entry starts once that is confirmed.
    assert (await tg.send(rep.user, "/log 2024-03-15")).startswith("您有一条履职活动尚未保存")
    await tg.press_label(rep.user, "开始新登记")
    assert tg.api.last_text(rep.user.id) == "这是哪一类履职活动？"
    await tg.press_label(rep.user, "座谈会")
    assert (await tg.send(rep.user, "会议室")) == "请简要描述活动内容，篇幅不限。"


async def test_a_future_date_in_a_quick_entry_is_said_and_asked_again(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log Inspection 2099-01-01 Museum Visit")
    texts = tg.api.texts(rep.user.id)
    assert texts[-2].startswith("Thu 1 Jan 2099 has not come yet.")
    assert texts[-1].startswith("When did it take place?")


async def test_free_text_starting_with_a_type_is_offered_as_an_entry(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session, language="zh")
    assert (
        await tg.send(rep.user, "视察 2024-03-15 洛阳博物馆 调研")
        == "要把这条消息登记为履职活动吗？"
    )
    assert labels(tg, rep.user) == ["是", "否"]
    await tg.press_label(rep.user, "是")
    assert "内容：调研" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "保存")
    assert len(await activities(session, rep.person_id)) == 1
    await tg.send(rep.user, "接待 来访群众")
    await tg.press_label(rep.user, "否")
    assert tg.api.last_text(rep.user.id) == "好的，未作登记。"
    assert len(await activities(session, rep.person_id)) == 1


async def test_other_text_is_not_offered(tg: Harness, session: AsyncSession) -> None:
    rep = await seed_rep(session)
    assert (await tg.send(rep.user, "hello there")).startswith("I did not understand that.")
    staff = make_user(8201, language_code="en")
    await add_staff(session, telegram_id=staff.id, delegations=[])
    await session.commit()
    assert (await tg.send(staff, "Inspection tomorrow")).startswith("I did not understand that.")
    key = tg.app.dispatcher.fsm.get_context(tg.app.bot, chat_id=rep.user.id, user_id=rep.user.id)
    await key.set_state("SomeFlow:summary")
    assert not (await tg.send(rep.user, "Inspection of the museum")).startswith("Log this")


async def test_a_typed_invitation_code_is_not_taken_for_an_entry(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    # Eight letters of the codes' alphabet that also begin with a type's alias ("research").
    stranger = make_user(8301, language_code="en")
    code_answer = await tg.send(stranger, "RESEARCH")
    assert "Log this" not in code_answer
    assert "Log this" not in await tg.send(rep.user, "Research")
    assert await tg.send(rep.user, "Research visit at the plant") == "Log this as an activity?"


async def test_an_offers_buttons_work_once(tg: Harness, session: AsyncSession) -> None:
    rep = await seed_rep(session)
    assert await tg.send(rep.user, "Inspection Museum visit") == "Log this as an activity?"
    [no] = [b.callback_data for b in last_markup(tg, rep.user).inline_keyboard[0][1:]]
    assert no is not None

    # A forged Yes with another number.
    other = QuickOffer.unpack(no).offer % 9 + 1
    await tg.press(rep.user, QuickOffer(offer=other, accept=True))
    assert tg.api.alerts()[-1] == "This button has expired. Please start again."
    await tg.press(rep.user, no)
    assert tg.api.last_text(rep.user.id) == "All right, nothing was logged."
    assert any(isinstance(r, EditMessageReplyMarkup) for r in tg.api.sent(rep.user.id))
    await tg.press(rep.user, no)

    assert tg.api.alerts()[-1] == "This button has already been used."
    assert tg.api.last_text(rep.user.id) == "All right, nothing was logged."
    assert await activities(session, rep.person_id) == []
