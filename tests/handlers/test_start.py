from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.lang import LangCallback
from storage.models import ChatPreference, Person
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_representative, make_user
from tests.harness import Harness

INVITATION_LINE_ZH = "请向所在的代表联络机构索取邀请链接或邀请码"


async def test_stranger_gets_one_polite_line_in_chinese(tg: Harness) -> None:
    stranger = make_user(10, language_code="zh-hans")
    answer = await tg.send(stranger, "/start")
    assert INVITATION_LINE_ZH in answer
    assert len(tg.api.texts(stranger.id)) == 1


async def test_stranger_with_english_telegram_gets_english(tg: Harness) -> None:
    stranger = make_user(11, language_code="en")
    answer = await tg.send(stranger, "hello there")
    assert "ask your liaison office for an invitation" in answer


async def test_stranger_cannot_reach_member_help(tg: Harness) -> None:
    answer = await tg.send(make_user(12, language_code="en"), "/help")
    assert "invitation" in answer
    assert "/lang" not in answer


async def test_representative_is_greeted_by_escaped_name(
    tg: Harness, session: AsyncSession
) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=20, delegation=delegation, name="<b>李&明</b>")
    await session.commit()
    answer = await tg.send(make_user(20, language_code="en"), "/start")
    # On the roster, so Chinese unless they chose otherwise; the name is escaped, not bold-injected.
    assert answer.startswith("<b>&lt;b&gt;李&amp;明&lt;/b&gt;</b>，您好！")
    assert "/help — 我能为您做什么" in answer


async def test_help_lists_what_an_admin_may_use(tg: Harness) -> None:
    answer = await tg.send(make_user(ADMIN_ID, language_code="en"), "/help")
    assert answer.splitlines()[0] == "What you can use:"
    assert "/lang — Language: 中文 / English" in answer


async def test_lang_switches_and_is_remembered(tg: Harness, session: AsyncSession) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=30, delegation=delegation)
    await session.commit()
    user = make_user(30, language_code="zh")
    assert await tg.send(user, "/lang en") == "Language set: English."
    assert (await tg.send(user, "/help")).startswith("What you can use:")
    session.expire_all()
    person = await session.scalar(select(Person).where(col(Person.telegram_id) == 30))
    assert person is not None
    assert person.language == "en"


async def test_lang_keyboard_for_a_stranger_is_stored_as_preference(
    tg: Harness, session: AsyncSession
) -> None:
    user = make_user(31, language_code="en")
    assert await tg.send(user, "/lang") == "Choose your language:"
    await tg.press(user, LangCallback(index=0))
    assert tg.api.last_text(user.id) == "语言已设置为：中文。"
    preference = await session.get(ChatPreference, 31)
    assert preference is not None
    assert preference.language == "zh"
    await session.commit()  # end the read: SQLite transactions here hold the write lock
    assert INVITATION_LINE_ZH in await tg.send(user, "/start")


async def test_unknown_language_is_refused_in_the_users_language(tg: Harness) -> None:
    answer = await tg.send(make_user(ADMIN_ID, language_code="zh"), "/lang fr")
    assert answer == "不支持该语言。请发送 /lang 中文 或 /lang English。"


async def test_member_sending_nonsense_is_pointed_to_help(tg: Harness) -> None:
    answer = await tg.send(make_user(ADMIN_ID, language_code="en"), "what is this")
    assert answer == "I did not understand that. Send /help to see what you can use."


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("中文", "语言已设置为：中文。"),
        ("English", "Language set: English."),
        ("英文", "Language set: English."),
        ("ZH", "语言已设置为：中文。"),
        ("en", "Language set: English."),
    ],
)
async def test_lang_takes_the_language_by_name_or_code(
    typed: str, answer: str, tg: Harness, session: AsyncSession
) -> None:
    user = make_user(32, language_code="en" if answer.startswith("语言") else "zh")
    assert await tg.send(user, f"/lang {typed}") == answer
    preference = await session.get(ChatPreference, 32)
    assert preference is not None
    assert preference.language == ("zh" if answer.startswith("语言") else "en")
