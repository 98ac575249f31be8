"""/pending: who in the staff member's delegations is not linked yet, and their invitation."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import EditMessageText
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.pending import PendingCallback
from services.invitations import issue_invitation, revoke_invitations
from storage.types import utcnow
from tests.factories import add_delegation, add_representative, add_staff, make_user
from tests.harness import Harness

CLERK = 5201


async def test_pending_lists_people_in_scope_with_their_invitation_state(
    tg: Harness, session: AsyncSession
) -> None:
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    nanyang = await add_delegation(session, "南阳市人大代表")
    people = {}
    for name in ("赵丽娟", "<b>李</b>", "王建国", "孙国华"):
        person = await add_representative(session, telegram_id=None, delegation=luoyang, name=name)
        assert person.id is not None
        people[name] = person.id
    await add_representative(session, telegram_id=77, delegation=luoyang, name="周明")
    await add_representative(session, telegram_id=None, delegation=nanyang, name="郑雅琴")
    await add_staff(session, telegram_id=CLERK, delegations=[luoyang])
    now = utcnow()
    await issue_invitation(
        session=session, person_id=people["赵丽娟"], actor_telegram_id=1, now=now, ttl_days=30
    )
    await issue_invitation(
        session=session,
        person_id=people["王建国"],
        actor_telegram_id=1,
        now=now - timedelta(days=40),
        ttl_days=30,
    )
    await issue_invitation(
        session=session, person_id=people["孙国华"], actor_telegram_id=1, now=now, ttl_days=30
    )
    await revoke_invitations(
        session=session, person_id=people["孙国华"], actor_telegram_id=1, now=now
    )
    await session.commit()
    answer = await tg.send(make_user(CLERK, language_code="en"), "/pending")
    today = now.astimezone(tg.app.settings.tz).date()
    sent_old = (now - timedelta(days=40)).astimezone(tg.app.settings.tz).date()
    expired = (now - timedelta(days=10)).astimezone(tg.app.settings.tz).date()
    valid = (now + timedelta(days=30)).astimezone(tg.app.settings.tz).date()
    assert answer.splitlines() == [
        "<b>Not linked yet: 4 (page 1 of 1)</b>",
        "• &lt;b&gt;李&lt;/b&gt; · 驻洛省十四届人大代表 — no invitation yet",
        f"• 孙国华 · 驻洛省十四届人大代表 — invitation sent on {today} was revoked",
        f"• 王建国 · 驻洛省十四届人大代表 — invitation sent on {sent_old} expired on {expired}",
        f"• 赵丽娟 · 驻洛省十四届人大代表 — invitation sent on {today}, valid until {valid}",
    ]


async def test_a_long_pending_list_comes_a_page_at_a_time(
    tg: Harness, session: AsyncSession
) -> None:
    delegation = await add_delegation(session, "驻" + "洛" * 120 + "代表团")
    for index in range(60):
        await add_representative(
            session, telegram_id=None, delegation=delegation, name=f"代表{index:02d}" + "名" * 50
        )
    await add_staff(session, telegram_id=CLERK, delegations=[delegation])
    await session.commit()
    clerk = make_user(CLERK, language_code="zh")
    first = await tg.send(clerk, "/pending")
    assert first.startswith("<b>尚未绑定：60 人（第 1/3 页）</b>")
    assert len(first) <= 4096
    await tg.press_label(clerk, "下一页 ▶")
    second = tg.api.last_text(CLERK)
    assert second.startswith("<b>尚未绑定：60 人（第 2/3 页）</b>")
    assert "代表25" in second
    assert "代表24" not in second
    edits = [r for r in tg.api.sent(CLERK) if isinstance(r, EditMessageText)]
    assert len(edits) == 1
    await tg.press(clerk, PendingCallback(page=99))
    assert tg.api.last_text(CLERK).startswith("<b>尚未绑定：60 人（第 3/3 页）</b>")


async def test_pending_says_when_everyone_is_linked(tg: Harness, session: AsyncSession) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=78, delegation=delegation)
    await add_staff(session, telegram_id=CLERK, delegations=[delegation])
    await session.commit()
    answer = await tg.send(make_user(CLERK, language_code="en"), "/pending")
    assert answer == "Everyone in your delegations has linked their Telegram account."
