"""/publish to the end: the audience chooser within scope (a forged id and nobody refused), the
confirm card, one delivery however often Publish is pressed, and the cards delivered."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.app import App
from bot.deliveries.sender import DeliverySender
from handlers.audience_keyboard import BULLETIN_FLOW, AudiencePick, Press
from storage.bulletin_models import BulletinIssue, IssueState
from storage.delivery_models import Delivery, DeliveryRecipient
from tests.factories import add_delegation, add_representative, add_staff, make_document, make_user
from tests.handlers.test_bulletin_publish import HEADINGS, SEED
from tests.harness import Harness

STAFF, REP, REP2, OUTSIDER = 7601, 7611, 7612, 7613


async def roster(session: AsyncSession) -> int:
    luoyang = await add_delegation(session)
    nanyang = await add_delegation(session, "驻宛省十四届人大代表")
    await add_staff(session, telegram_id=STAFF, delegations=[luoyang])
    await add_representative(session, telegram_id=REP, delegation=luoyang, name="王建国")
    await add_representative(session, telegram_id=REP2, delegation=luoyang, name="李红梅")
    await add_representative(session, telegram_id=OUTSIDER, delegation=nanyang, name="张伟")
    await session.commit()
    assert nanyang.id is not None
    return nanyang.id


async def count(session: AsyncSession, table: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_staff_choose_an_audience_within_scope_confirm_and_it_is_delivered_once(
    tg: Harness, session: AsyncSession, app: App
) -> None:
    outside = await roster(session)
    staff = make_user(STAFF)
    await tg.send(staff, "/publish")
    await tg.feed(make_document(SEED, "4.txt", user=staff, files=tg.api.files))
    await tg.press_label(staff, "选择发送对象")
    assert tg.api.last_text(STAFF).startswith("发送给谁？")
    # Nobody chosen yet: refused, nothing asked to confirm.
    await tg.press_label(staff, "继续")
    assert tg.api.alerts()[-1].startswith("所选对象中没有人能在 Telegram 上收到消息。")
    assert "发布给" not in tg.api.last_text(STAFF)
    # A delegation outside the scope, forged: refused.
    forged = AudiencePick(flow=BULLETIN_FLOW, press=Press.delegation, item=outside)
    await tg.press(staff, forged)
    assert tg.api.alerts()[-1] == "您无法选择该项，未做任何更改。"
    await tg.press_label(staff, "代表团：驻洛省十四届人大代表")
    assert "已选择：2 人将收到。" in tg.api.last_text(STAFF)
    await tg.press_label(staff, "✅ 代表团：驻洛省十四届人大代表")
    await tg.press_label(staff, "代表团：驻洛省十四届人大代表")
    await tg.press_label(staff, "继续")
    assert tg.api.last_text(STAFF) == "现在将 2024年第4期 发布给 2 人？"
    assert await count(session, Delivery) == 0
    await tg.press_label(staff, "发布")
    assert tg.api.last_text(STAFF).startswith("2024年第4期 已发布，正在发送给 2 人。")
    # The same button again: the dialog is over, nothing is queued twice.
    await tg.press_label(staff, "发布")
    assert await count(session, Delivery) == 1
    assert await count(session, DeliveryRecipient) == 2
    issue = await session.scalar(
        select(BulletinIssue)
        .execution_options(populate_existing=True)
        .order_by(col(BulletinIssue.id))
    )
    assert issue is not None
    assert issue.state == IssueState.published
    sender = DeliverySender(app.bot, app.sessionmaker, app.i18n, app.settings)
    assert await sender.run_once() == 2
    for chat in (REP, REP2):
        assert tg.api.last_text(chat).startswith("<b>代表工作 · 2024年第4期</b>")
    assert tg.api.sent(OUTSIDER) == []
    await tg.press_label(make_user(REP), f"2. {HEADINGS[1]}")
    assert tg.api.last_text(REP).startswith(f"<b>{HEADINGS[1]}</b>")
