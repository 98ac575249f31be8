"""Deleting an entry from /my: a card naming it, soft and audited, once, and only one's own."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.history_keyboards import DeleteCallback, DeleteConfirmCallback
from storage.duty_models import Activity
from storage.models import AuditLog
from tests.factories import add_activity, make_user
from tests.handlers.test_history import (
    NOW,
    OTHER,
    REP,
    buttons,
    fixed_clock,
    two_representatives,
)
from tests.harness import Harness

__all__ = ["fixed_clock"]  # autouse: the same day as the list tests


async def _deleted_at(session: AsyncSession, activity_id: int) -> object:
    session.expire_all()
    activity = await session.get(Activity, activity_id)
    assert activity is not None
    await session.commit()
    return activity.deleted_at


async def _audits(session: AsyncSession) -> list[tuple[int | None, str | None]]:
    rows = await session.scalars(select(AuditLog).where(col(AuditLog.action) == "activity.delete"))
    found = [(row.actor_telegram_id, row.target) for row in rows]
    await session.commit()
    return found


async def test_delete_asks_then_soft_deletes_once_and_audits(
    tg: Harness, session: AsyncSession
) -> None:
    mine, _other = await two_representatives(session)
    activity = await add_activity(
        session, mine, happened_on=date(2024, 5, 6), place="<b>洛阳</b>博物馆"
    )
    assert activity.id is not None
    await session.commit()
    user = make_user(REP)
    await tg.press(user, DeleteCallback(activity_id=activity.id))
    card = tg.api.texts(REP)[-1]
    assert card == (
        "<b>删除这条记录？</b>\n2024年5月6日（周一） · 视察 · &lt;b&gt;洛阳&lt;/b&gt;博物馆\n"
        "删除后，这条记录将不再显示在您的履职记录中，也不再计入积分。"
    )
    confirm = buttons(tg, REP)["删除"]
    assert await _deleted_at(session, activity.id) is None
    await tg.press(user, confirm)
    assert tg.api.texts(REP)[-1] == (
        "已删除：2024年5月6日（周一） · 视察 · &lt;b&gt;洛阳&lt;/b&gt;博物馆"
    )
    assert await _deleted_at(session, activity.id) == NOW
    assert await _audits(session) == [(REP, str(activity.id))]
    # A second press of the same button changes nothing.
    tg.api.clear()
    await tg.press(user, confirm)
    assert tg.api.alerts() == ["该按钮已使用过。"]
    assert await _audits(session) == [(REP, str(activity.id))]
    # Gone from /my; its Delete button now finds nothing.
    assert await tg.send(user, "/my") == "您还没有登记履职活动。发送 /log 即可登记。"
    tg.api.clear()
    await tg.press(user, DeleteCallback(activity_id=activity.id))
    assert tg.api.alerts() == ["该记录不存在，或不属于您。"]


async def test_keep_it_changes_nothing(tg: Harness, session: AsyncSession) -> None:
    mine, _other = await two_representatives(session)
    activity = await add_activity(session, mine)
    assert activity.id is not None
    await session.commit()
    user = make_user(REP)
    await tg.press(user, DeleteCallback(activity_id=activity.id))
    await tg.press(user, buttons(tg, REP)["保留"])
    assert tg.api.texts(REP)[-1] == "已取消，未作任何更改。"
    assert await _deleted_at(session, activity.id) is None
    assert await _audits(session) == []


async def test_another_persons_entry_cannot_be_deleted(tg: Harness, session: AsyncSession) -> None:
    mine, other = await two_representatives(session)
    theirs = await add_activity(session, other)
    own = await add_activity(session, mine)
    assert theirs.id is not None
    assert own.id is not None
    await session.commit()
    user = make_user(REP)
    await tg.press(user, DeleteCallback(activity_id=theirs.id))
    assert tg.api.alerts() == ["该记录不存在，或不属于您。"]
    assert tg.api.texts(REP) == []
    # A live card for one's own entry, its confirm button rewritten with the other's id.
    await tg.press(user, DeleteCallback(activity_id=own.id))
    shown = DeleteConfirmCallback.unpack(buttons(tg, REP)["删除"])
    forged = DeleteConfirmCallback(activity_id=theirs.id, card=shown.card, confirmed=True)
    tg.api.clear()
    await tg.press(user, forged)
    assert tg.api.alerts() == ["该按钮已失效，请重新开始。"]
    assert await _deleted_at(session, theirs.id) is None
    assert await _audits(session) == []
    # The other person still sees their entry.
    assert "共1条" in await tg.send(make_user(OTHER), "/my")
