"""Accepting an invitation, through the Dispatcher: every path and its failures."""

from __future__ import annotations

from datetime import timedelta

from aiogram.methods import SetMyCommands
from aiogram.types import BotCommandScopeChat
from sqlalchemy.ext.asyncio import AsyncSession

from services.invitations import IssuedInvitation, issue_invitation, revoke_invitations
from storage.models import CodeAttempt, Person
from storage.types import utcnow
from tests.factories import add_delegation, add_representative, make_user
from tests.harness import Harness

WELCOME_ZH = "您的 Telegram 账号已与代表名册绑定"


async def _invite(
    session: AsyncSession, *, name: str = "王建国", days_ago: int = 0
) -> IssuedInvitation:
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=None, delegation=delegation, name=name)
    assert person.id is not None
    issued = await issue_invitation(
        session=session,
        person_id=person.id,
        actor_telegram_id=None,
        now=utcnow() - timedelta(days=days_ago),
        ttl_days=30,
    )
    await session.commit()
    return issued


async def _person(session: AsyncSession, person_id: int) -> Person:
    session.expire_all()
    person = await session.get(Person, person_id)
    assert person is not None
    await session.commit()  # end the read; the bot writes next
    return person


async def test_deep_link_binds_and_greets_by_escaped_name(
    tg: Harness, session: AsyncSession
) -> None:
    issued = await _invite(session, name="<b>王&建国</b>")
    user = make_user(101, language_code="en")
    answer = await tg.send(user, f"/start {issued.token}")
    assert answer.startswith("欢迎您，<b>&lt;b&gt;王&amp;建国&lt;/b&gt;</b>！")
    assert WELCOME_ZH in answer
    assert "/me — 我的信息和代表职务" in answer
    assert "/invite" not in answer
    assert (await _person(session, issued.person_id)).telegram_id == 101
    menus = [r for r in tg.api.requests if isinstance(r, SetMyCommands)]
    assert isinstance(menus[-1].scope, BotCommandScopeChat)
    assert menus[-1].scope.chat_id == 101
    assert "me" in [c.command for c in menus[-1].commands]


async def test_language_chosen_before_binding_is_kept(tg: Harness, session: AsyncSession) -> None:
    issued = await _invite(session)
    user = make_user(102, language_code="zh")
    await tg.send(user, "/lang en")
    answer = await tg.send(user, f"/start {issued.token}")
    assert answer.startswith("Welcome, <b>王建国</b>!")
    assert (await _person(session, issued.person_id)).language == "en"


async def test_used_token_binds_nothing_for_a_second_account(
    tg: Harness, session: AsyncSession
) -> None:
    issued = await _invite(session)
    await tg.send(make_user(103), f"/start {issued.token}")
    answer = await tg.send(make_user(104, language_code="en"), f"/start {issued.token}")
    assert answer == "This invitation has already been used. Ask the liaison office for a new one."
    assert (await _person(session, issued.person_id)).telegram_id == 103


async def test_expired_token(tg: Harness, session: AsyncSession) -> None:
    issued = await _invite(session, days_ago=31)
    answer = await tg.send(make_user(105, language_code="en"), f"/start {issued.token}")
    assert answer.startswith("This invitation expired on ")
    assert (await _person(session, issued.person_id)).telegram_id is None


async def test_revoked_token(tg: Harness, session: AsyncSession) -> None:
    issued = await _invite(session)
    await revoke_invitations(
        session=session, person_id=issued.person_id, actor_telegram_id=1, now=utcnow()
    )
    await session.commit()
    answer = await tg.send(make_user(106, language_code="en"), f"/start {issued.token}")
    assert answer.startswith("This invitation was withdrawn")
    assert (await _person(session, issued.person_id)).telegram_id is None


async def test_unknown_token(tg: Harness) -> None:
    answer = await tg.send(make_user(107, language_code="zh"), "/start abcdefghijklmnopqrstuv")
    assert answer.startswith("邀请链接或邀请码无效。")


async def test_typed_code_after_plain_start(tg: Harness, session: AsyncSession) -> None:
    issued = await _invite(session)
    user = make_user(108, language_code="zh")
    assert "如已有邀请码，请直接发送到这里" in await tg.send(user, "/start")
    typed = issued.code[:4].lower() + " - " + issued.code[4:]
    assert WELCOME_ZH in await tg.send(user, typed)
    assert (await _person(session, issued.person_id)).telegram_id == 108


async def test_five_wrong_codes_lock_code_entry_for_an_hour(
    tg: Harness, session: AsyncSession
) -> None:
    issued = await _invite(session)
    user = make_user(109, language_code="en")
    answers = [await tg.send(user, "ZZZZZZZZ") for _ in range(5)]
    assert answers[0].startswith("This invitation link or code is not valid.")
    assert (
        answers[4]
        == "Too many wrong codes. Try again in 60 min, or open the invitation link instead."
    )
    locked = await tg.send(user, issued.code)  # even the right code waits out the hour
    assert locked.startswith("Too many wrong codes.")
    attempt = await session.get(CodeAttempt, 109)
    assert attempt is not None
    assert attempt.locked_until is not None
    assert (await _person(session, issued.person_id)).telegram_id is None


async def test_an_account_already_linked_cannot_take_a_second_entry(
    tg: Harness, session: AsyncSession
) -> None:
    first = await _invite(session)
    delegation = await add_delegation(session, "南阳市人大代表")
    other = await add_representative(
        session, telegram_id=None, delegation=delegation, name="孙国华"
    )
    assert other.id is not None
    second = await issue_invitation(
        session=session, person_id=other.id, actor_telegram_id=None, now=utcnow(), ttl_days=30
    )
    await session.commit()
    user = make_user(110, language_code="zh")
    await tg.send(user, f"/start {first.token}")
    answer = await tg.send(user, f"/start {second.token}")
    assert answer.startswith("您的 Telegram 账号已绑定到 王建国")
    assert (await _person(session, other.id)).telegram_id is None


async def test_a_stranger_gets_one_line_and_nothing_else(tg: Harness) -> None:
    user = make_user(111, language_code="en")
    for text in ("hello", "/me", "/invite 王建国", "a longer message about my street"):
        answer = await tg.send(user, text)
        assert "ask your liaison office for an invitation link or code" in answer
    assert len(tg.api.texts(user.id)) == 4


async def test_a_linked_user_pasting_a_code_gets_the_answer_of_start_code(
    tg: Harness, session: AsyncSession
) -> None:
    first = await _invite(session)
    delegation = await add_delegation(session, "南阳市人大代表")
    other = await add_representative(
        session, telegram_id=None, delegation=delegation, name="孙国华"
    )
    assert other.id is not None
    second = await issue_invitation(
        session=session, person_id=other.id, actor_telegram_id=None, now=utcnow(), ttl_days=30
    )
    await session.commit()
    user = make_user(112, language_code="zh")
    await tg.send(user, first.code)
    # Their own code again: welcome back, as /start CODE says it.
    assert await tg.send(user, first.printed_code) == await tg.send(user, f"/start {first.code}")
    assert WELCOME_ZH in tg.api.last_text(112)
    # Someone else's code: which entry the account is linked to, as /start CODE says it.
    pasted = await tg.send(user, second.code)
    assert pasted == await tg.send(user, f"/start {second.code}")
    assert pasted.startswith("您的 Telegram 账号已绑定到 王建国")
    assert (await _person(session, other.id)).telegram_id is None
