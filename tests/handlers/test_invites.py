"""Staff /invite, /revoke and /rebind: role, scope, and what the database holds afterwards."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import SendMessage, SendPhoto
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot import retry
from handlers.invites import PersonCallback
from services.invitations import StaffAction
from storage.models import AuditLog, Invitation, PendingReply, Person, StaffMember, StaffRole
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_representative, add_staff, make_message, make_user
from tests.harness import Harness

CLERK, OTHER_CLERK, REP = 5001, 5002, 5003


async def _setup(session: AsyncSession) -> dict[str, int]:
    luoyang = await add_delegation(session, "驻洛省十四届人大代表")
    nanyang = await add_delegation(session, "南阳市人大代表")
    wang = await add_representative(session, telegram_id=None, delegation=luoyang, name="王建国")
    bold = await add_representative(
        session, telegram_id=None, delegation=luoyang, name="<b>李&红</b>"
    )
    sun = await add_representative(session, telegram_id=REP, delegation=nanyang, name="孙国华")
    twin1 = await add_representative(session, telegram_id=None, delegation=luoyang, name="张伟")
    twin2 = await add_representative(session, telegram_id=None, delegation=nanyang, name="张伟")
    await add_staff(session, telegram_id=CLERK, delegations=[luoyang, nanyang])
    await add_staff(session, telegram_id=OTHER_CLERK, delegations=[nanyang])
    await session.commit()
    ids = {"wang": wang.id, "bold": bold.id, "sun": sun.id, "twin1": twin1.id, "twin2": twin2.id}
    return {k: v for k, v in ids.items() if v is not None}


def _labels(tg: Harness, chat_id: int) -> list[str]:
    markup = tg.api.sent(chat_id)[-1].reply_markup  # type: ignore[attr-defined]
    return [button.text for row in markup.inline_keyboard for button in row]


async def _count(session: AsyncSession, query: object) -> int:
    value = await session.scalar(query)  # type: ignore[call-overload]
    await session.commit()
    return int(value or 0)


async def test_invite_gives_link_code_and_qr(tg: Harness, session: AsyncSession) -> None:
    ids = await _setup(session)
    answer = await tg.send(make_user(CLERK, language_code="en"), "/invite 王建国")
    assert answer.startswith(
        "A new invitation for 王建国:\nLink: https://t.me/liaison_test_bot?start="
    )
    assert "Code: <code>" in answer
    photos = [r for r in tg.api.requests if isinstance(r, SendPhoto)]
    assert len(photos) == 1
    assert photos[0].chat_id == CLERK
    invitations = (
        select(func.count()).select_from(Invitation).where(col(Invitation.person_id) == ids["wang"])
    )
    assert await _count(session, invitations) == 1
    audits = (
        select(func.count()).select_from(AuditLog).where(col(AuditLog.action) == "invite.issue")
    )
    assert await _count(session, audits) == 1


async def test_names_are_escaped_in_staff_answers(tg: Harness, session: AsyncSession) -> None:
    await _setup(session)
    answer = await tg.send(make_user(CLERK, language_code="en"), "/invite <b>李&红</b>")
    assert answer.startswith("A new invitation for &lt;b&gt;李&amp;红&lt;/b&gt;:")
    missing = await tg.send(make_user(CLERK, language_code="en"), "/invite <i>nobody</i>")
    assert missing == "No one called &lt;i&gt;nobody&lt;/i&gt; in your delegations."


async def test_a_representative_cannot_use_staff_commands(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)
    rep = make_user(REP, language_code="en")
    for command in ("/invite 王建国", "/revoke 王建国", "/rebind 王建国"):
        assert (await tg.send(rep, command)).startswith("您的角色无法使用此功能。")
    assert await _count(session, select(func.count()).select_from(Invitation)) == 0


async def test_staff_outside_their_scope_see_no_one(tg: Harness, session: AsyncSession) -> None:
    ids = await _setup(session)
    clerk = make_user(OTHER_CLERK, language_code="zh")
    assert await tg.send(clerk, "/invite 王建国") == "您负责的代表团中没有名叫 王建国 的人员。"
    # A forged button naming a person outside the scope changes nothing.
    forged = PersonCallback(action=StaffAction.invite, person_id=ids["wang"], card=77)
    await tg.press(clerk, forged)
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    assert await _count(session, select(func.count()).select_from(Invitation)) == 0


async def test_same_name_offers_a_choice(tg: Harness, session: AsyncSession) -> None:
    ids = await _setup(session)
    clerk = make_user(CLERK, language_code="en")
    assert await tg.send(clerk, "/invite 张伟") == "Several people match. Whom do you mean?"
    assert _labels(tg, CLERK) == ["张伟 · 驻洛省十四届人大代表", "张伟 · 南阳市人大代表"]
    await tg.press_label(clerk, "张伟 · 南阳市人大代表")
    assert tg.api.last_text(CLERK).startswith("A new invitation for 张伟:")
    twin2 = (
        select(func.count())
        .select_from(Invitation)
        .where(col(Invitation.person_id) == ids["twin2"])
    )
    assert await _count(session, twin2) == 1


async def test_an_error_after_a_press_is_shown_on_the_button(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await _setup(session)
    clerk = make_user(CLERK, language_code="en")
    await tg.send(clerk, "/invite 张伟")
    linked = await session.get(Person, ids["twin2"])
    assert linked is not None
    linked.telegram_id = 5999
    await session.commit()
    await tg.press_label(clerk, "张伟 · 南阳市人大代表")
    alerts = tg.api.alerts()
    assert len(alerts) == 1
    assert alerts[0].startswith("张伟 is already linked to a Telegram account.")


async def test_only_admins_invite_or_unlink_staff(tg: Harness, session: AsyncSession) -> None:
    ids = await _setup(session)
    await add_staff_role_to(session, ids["wang"])
    clerk = make_user(CLERK, language_code="en")
    answer = await tg.send(clerk, "/rebind 王建国")
    assert answer == "Only an administrator can invite or unlink staff and administrators."
    admin = make_user(ADMIN_ID, language_code="en")
    assert (await tg.send(admin, "/invite 王建国")).startswith("A new invitation for 王建国:")


async def test_revoke_and_rebind_after_confirmation(tg: Harness, session: AsyncSession) -> None:
    ids = await _setup(session)
    clerk = make_user(CLERK, language_code="en")
    await tg.send(clerk, "/invite 王建国")
    card = await tg.send(clerk, "/revoke 王建国")
    assert card.startswith(
        "<b>Revoke the invitation of 王建国?</b>\nDelegation: 驻洛省十四届人大代表"
    )
    await tg.press_label(clerk, "Confirm")
    assert tg.api.last_text(CLERK) == "Revoked 1 unused invitation(s) of 王建国."
    card = await tg.send(clerk, "/rebind 孙国华")
    assert "Their Telegram account will be unlinked" in card
    session.expire_all()
    assert (await session.get(Person, ids["sun"])).telegram_id == REP  # type: ignore[union-attr]
    await session.commit()
    await tg.press_label(clerk, "Confirm")
    answer = tg.api.texts(CLERK)[-1]
    assert answer.startswith("孙国华 was unlinked from their Telegram account. A new invitation:")
    session.expire_all()
    sun = await session.get(Person, ids["sun"])
    assert sun is not None
    assert sun.telegram_id is None
    rebinds = (
        select(func.count()).select_from(AuditLog).where(col(AuditLog.action) == "person.rebind")
    )
    assert await _count(session, rebinds) == 1
    # The person's old account is a stranger now, staff rights granted to it included.
    assert "invitation link or code" in await tg.send(make_user(REP, language_code="en"), "/me")


async def test_usage_is_explained(tg: Harness, session: AsyncSession) -> None:
    await _setup(session)
    assert await tg.send(make_user(CLERK, language_code="zh"), "/invite") == (
        "请发送 /invite 加姓名，例如：/invite 王建国"
    )


async def add_staff_role_to(session: AsyncSession, person_id: int) -> None:
    session.add(StaffMember(person_id=person_id, role=StaffRole.staff, all_delegations=True))
    await session.commit()


async def test_rebind_takes_staff_rights_away_from_the_old_account(
    tg: Harness, session: AsyncSession
) -> None:
    ids = await _setup(session)
    session.add(StaffMember(person_id=ids["sun"], telegram_id=REP, role=StaffRole.staff))
    await session.commit()
    admin = make_user(ADMIN_ID, language_code="en")
    await tg.send(admin, "/rebind 孙国华")
    await tg.press_label(admin, "Confirm")
    assert "invitation link or code" in await tg.send(
        make_user(REP, language_code="en"), "/invite 王建国"
    )


async def test_an_admin_can_invite_a_staff_member_from_the_roster(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)
    clerk_person = Person(name="马文静", staff_code="STAFF-LY01")
    session.add(clerk_person)
    await session.flush()
    session.add(StaffMember(person_id=clerk_person.id, role=StaffRole.staff))
    await session.commit()
    admin = make_user(ADMIN_ID, language_code="en")
    assert (await tg.send(admin, "/invite 马文静")).startswith("A new invitation for 马文静:")
    # Scoped staff do not see other staff at all.
    assert (await tg.send(make_user(CLERK, language_code="en"), "/invite 马文静")).startswith(
        "No one"
    )


async def test_a_forged_out_of_range_person_is_an_expired_button(
    tg: Harness, session: AsyncSession
) -> None:
    await _setup(session)
    await tg.press(make_user(CLERK, language_code="en"), "inv:1:" + "9" * 30)
    assert tg.api.alerts() == ["This button has expired. Please start again."]


async def test_no_invitation_token_is_stored_in_clear(
    tg: Harness, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even when Telegram cannot be reached and answers wait in the database for a retry."""
    await _setup(session)

    async def no_wait(_seconds: float) -> None:
        return None

    monkeypatch.setattr(retry, "asyncio", SimpleNamespace(sleep=no_wait))
    real = tg.api.make_request
    attempted: list[Any] = []

    async def unreachable(bot: Any, method: Any, timeout: int | None = None) -> Any:
        if getattr(method, "chat_id", None) == CLERK:
            attempted.append(method)
            raise TelegramNetworkError(method, "connection reset")
        return await real(bot, method, timeout)

    monkeypatch.setattr(tg.api, "make_request", unreachable)
    await tg.feed(make_message("/invite 王建国", user=make_user(CLERK, language_code="en")))
    sent = [r for r in attempted if isinstance(r, SendMessage) and "?start=" in r.text]
    assert sent, "the invitation was attempted"
    token = sent[-1].text.split("?start=")[1].split("\n")[0]
    rows = (await session.scalars(select(PendingReply))).all()
    assert all(token not in str(row.payload) for row in rows)
    invitation = await session.scalar(select(Invitation))
    assert invitation is not None
    assert token not in (invitation.token_hash, invitation.code_hash)
