"""A concern's states from its card: every legal change, the refused ones, the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.concerns_keyboards import ConcernMove, ConcernOpen
from services.dates import format_date
from storage.duty_models import Concern, ConcernEvent, ConcernState
from tests.factories import add_concern, add_delegation, add_representative, make_user
from tests.handlers.test_concerns_flow import last_buttons
from tests.harness import Harness

REP, OTHER = 8301, 8302
TZ = ZoneInfo("Asia/Shanghai")


async def seed(session: AsyncSession, state: str = "received") -> int:
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=REP, delegation=delegation)
    await add_representative(session, telegram_id=OTHER, delegation=delegation, name="李红梅")
    created = datetime.now(UTC) - timedelta(days=3)
    concern = await add_concern(
        session, person=person, summary="公交站台<无遮雨棚>", state=state, created_at=created
    )
    assert concern.id is not None
    concern_id = concern.id
    await session.commit()
    return concern_id


async def reload(session: AsyncSession, concern_id: int) -> tuple[Concern, list[ConcernEvent]]:
    session.expire_all()
    concern = await session.get(Concern, concern_id)
    assert concern is not None
    query = select(ConcernEvent).where(col(ConcernEvent.concern_id) == concern_id)
    events = list((await session.scalars(query.order_by(col(ConcernEvent.id)))).all())
    return concern, events


async def test_the_whole_way_to_resolved_with_the_timeline(
    tg: Harness, session: AsyncSession
) -> None:
    concern_id = await seed(session)
    user = make_user(REP)
    await tg.press(user, ConcernOpen(concern=concern_id))
    card = tg.api.last_text(REP)
    today = format_date(datetime.now(TZ).date(), "zh")
    created = format_date((datetime.now(UTC) - timedelta(days=3)).astimezone(TZ).date(), "zh")
    assert card.startswith(f"<b>第{concern_id}号民意</b> · 民生保障 · 已受理\n代表：王建国\n")
    assert f"登记时间：{created}，已3天" in card
    assert "公交站台&lt;无遮雨棚&gt;" in card
    assert card.endswith(f"<b>办理记录：</b>\n• {created} · 已受理")
    assert last_buttons(tg, REP) == ["标记为已转办", "标记为已关闭"]

    await tg.press_label(user, "标记为已转办")
    assert tg.api.last_text(REP) == f"第{concern_id}号民意转交给了哪个部门？"
    assert await tg.send(user, "  ") == "请填写承办这件民意的部门。"
    answer = await tg.send(user, "洛阳市交通<运输>局")
    assert answer == f"请填写第{concern_id}号民意本次办理的说明（可选），或点击“跳过”。"
    await tg.send(user, "已电话督办")
    texts = tg.api.texts(REP)
    assert texts[-2] == f"第{concern_id}号民意已变更为：已转办。"
    assert "承办部门：洛阳市交通&lt;运输&gt;局" in texts[-1]
    assert f"• {today} · 已转办 · 洛阳市交通&lt;运输&gt;局 · 已电话督办" in texts[-1]
    assert last_buttons(tg, REP) == ["标记为已答复", "标记为已关闭"]

    await tg.press_label(user, "标记为已答复")
    await tg.press_label(user, "跳过")
    assert last_buttons(tg, REP) == ["标记为已解决", "标记为已关闭"]
    await tg.press_label(user, "标记为已解决")
    await tg.send(user, "站台已加装雨棚")
    assert getattr(tg.api.sent(REP)[-1], "reply_markup", None) is None
    card = tg.api.last_text(REP)
    assert card.endswith(
        f"• {created} · 已受理\n"
        f"• {today} · 已转办 · 洛阳市交通&lt;运输&gt;局 · 已电话督办\n"
        f"• {today} · 已答复\n"
        f"• {today} · 已解决 · 站台已加装雨棚"
    )
    concern, events = await reload(session, concern_id)
    assert concern.state == ConcernState.resolved
    assert concern.department == "洛阳市交通<运输>局"
    assert concern.touched_at > concern.created_at + timedelta(days=2)
    assert [(e.state, e.department, e.note, e.actor_telegram_id) for e in events] == [
        ("received", None, None, None),
        ("forwarded", "洛阳市交通<运输>局", "已电话督办", REP),
        ("answered", None, None, REP),
        ("resolved", None, "站台已加装雨棚", REP),
    ]


@pytest.mark.parametrize("start", ["received", "forwarded", "answered"])
async def test_any_open_concern_closes_with_a_reason(
    start: str, tg: Harness, session: AsyncSession
) -> None:
    concern_id = await seed(session, start)
    user = make_user(REP)
    await tg.press(user, ConcernMove(concern=concern_id, to=ConcernState.closed))
    assert tg.api.last_text(REP) == f"第{concern_id}号民意为什么要关闭？请说明原因。"
    assert last_buttons(tg, REP) == ["取消"]
    await tg.send(user, "群众已撤回诉求")
    concern, events = await reload(session, concern_id)
    assert concern.state == ConcernState.closed
    assert (events[-1].state, events[-1].note) == ("closed", "群众已撤回诉求")


@pytest.mark.parametrize(
    ("start", "target", "refusal"),
    [
        ("received", "resolved", "状态为“已受理”，只能变更为：已转办、已关闭。"),
        ("received", "answered", "状态为“已受理”，只能变更为：已转办、已关闭。"),
        ("forwarded", "forwarded", "状态为“已转办”，只能变更为：已答复、已关闭。"),
        ("answered", "received", "状态为“已答复”，只能变更为：已解决、已关闭。"),
        ("resolved", "closed", "状态为“已解决”，不能再变更。"),
        ("closed", "forwarded", "状态为“已关闭”，不能再变更。"),
    ],
)
async def test_illegal_changes_are_refused_and_change_nothing(
    start: str, target: str, refusal: str, tg: Harness, session: AsyncSession
) -> None:
    concern_id = await seed(session, start)
    await tg.press(make_user(REP), ConcernMove(concern=concern_id, to=ConcernState(target)))
    assert tg.api.last_text(REP) == f"第{concern_id}号民意{refusal}"
    concern, events = await reload(session, concern_id)
    assert concern.state == start
    assert len(events) == 1
    key = tg.app.dispatcher.fsm.get_context(tg.app.bot, chat_id=REP, user_id=REP)
    assert await key.get_state() is None


async def test_another_representatives_concern_is_not_found(
    tg: Harness, session: AsyncSession
) -> None:
    concern_id = await seed(session)
    other = make_user(OTHER)
    for data in (
        ConcernOpen(concern=concern_id),
        ConcernMove(concern=concern_id, to=ConcernState.forwarded),
        ConcernOpen(concern=concern_id + 1000),
        ConcernMove(concern=concern_id + 1000, to=ConcernState.forwarded),
    ):
        await tg.press(other, data)
        assert tg.api.alerts()[-1] == "该记录不存在，或不属于您。"
    assert tg.api.texts(OTHER) == []
    concern, events = await reload(session, concern_id)
    assert concern.state == ConcernState.received
    assert len(events) == 1


async def test_a_concern_closed_meanwhile_refuses_the_change_in_progress(
    tg: Harness, session: AsyncSession
) -> None:
    concern_id = await seed(session)
    user = make_user(REP)
    await tg.press(user, ConcernMove(concern=concern_id, to=ConcernState.forwarded))
    await tg.send(user, "市城管局")
    concern = await session.get(Concern, concern_id)
    assert concern is not None
    concern.state = ConcernState.closed
    await session.commit()
    answer = await tg.send(user, "已转办")
    assert answer == f"第{concern_id}号民意状态为“已关闭”，不能再变更。"
    concern, events = await reload(session, concern_id)
    assert concern.state == ConcernState.closed
    assert concern.department is None
    assert len(events) == 1
    key = tg.app.dispatcher.fsm.get_context(tg.app.bot, chat_id=REP, user_id=REP)
    assert await key.get_state() is None
