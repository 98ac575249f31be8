"""/log step by step through the Dispatcher: every question, its buttons, and what it refuses."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from aiogram.methods import EditMessageReplyMarkup
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col, select

from bot.app import build_app
from handlers.cancel import CancelCallback
from services.clock import utcnow
from services.config import Settings
from services.dates import format_date, local_today
from storage.duty_models import AttachmentKind
from storage.models import Mandate
from tests.factories import (
    make_file,
    make_location,
    make_message,
    make_photo,
    make_sticker,
    make_voice,
)
from tests.fakes import FakeSession
from tests.handlers.log_support import (
    Rep,
    activities,
    attachments_of,
    guided_to_card,
    labels,
    last_card,
    last_markup,
    seed_rep,
)
from tests.harness import Harness

ZH_TYPES = [
    "小组活动",
    "视察",
    "调研",
    "执法检查",
    "接待群众",
    "座谈会",
    "学习培训",
    "参加大会",
    "列席会议",
    "提交建议议案",
    "向选民述职",
    "其他",
]


def today(settings: Settings) -> date:
    return local_today(utcnow(), settings.tz)


async def state_of(tg: Harness, rep: Rep) -> str | None:
    key = tg.app.dispatcher.fsm.get_context(tg.app.bot, chat_id=rep.user.id, user_id=rep.user.id)
    return await key.get_state()


async def test_every_step_in_chinese_then_the_card_and_saving(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session, language="zh")
    user = rep.user
    assert await tg.send(user, "/log") == "这是哪一类履职活动？"
    assert labels(tg, user) == [*ZH_TYPES, "取消"]
    await tg.press_label(user, "视察")
    assert tg.api.last_text(user.id).startswith("活动是哪天进行的？")
    assert labels(tg, user) == ["今天", "昨天", "日历", "取消"]
    await tg.press_label(user, "昨天")
    assert tg.api.last_text(user.id).startswith("活动地点在哪里？")
    assert labels(tg, user) == ["跳过", "取消"]
    assert await tg.send(user, "洛阳博物馆") == "请简要描述活动内容，篇幅不限。"
    assert labels(tg, user) == ["取消"]
    question = await tg.send(user, "文旅文创融合调研")
    assert question.startswith("如有照片或文件，请发送（最多 10 个）")
    await tg.feed(make_photo(user=user, file_id="p1"))
    assert tg.api.last_text(user.id) == "已添加：1/10。可以继续发送，或点击“完成”。"
    await tg.press_label(user, "完成")
    yesterday = today(settings) - timedelta(days=1)
    card = tg.api.last_text(user.id)
    assert "类型：视察" in card
    assert "地点：洛阳博物馆" in card
    assert "内容：文旅文创融合调研" in card
    assert "照片和文件：1 个" in card
    assert "积分：3" in card
    assert "推荐上简报：否" in card
    assert f"日期：{yesterday.year}年{yesterday.month}月{yesterday.day}日" in card
    await tg.press_label(user, "保存")
    saved = tg.api.last_text(user.id)
    assert "本次活动积分：3" in saved
    assert "累计积分：3" in saved
    [row] = await activities(session, rep.person_id)
    assert (row.happened_on, row.place, row.summary, row.points) == (
        yesterday,
        "洛阳博物馆",
        "文旅文创融合调研",
        3,
    )
    assert row.delegation_id == rep.delegation_id
    assert await state_of(tg, rep) is None


async def test_a_shared_location_keeps_its_coordinates(tg: Harness, session: AsyncSession) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    await tg.feed(make_location(user=rep.user, latitude=34.6197, longitude=112.454))
    await tg.send(rep.user, "Visit")
    await tg.press_label(rep.user, "Skip")
    assert "Place: 📍 34.61970, 112.45400" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert (row.latitude, row.longitude) == (34.6197, 112.454)


async def test_an_album_of_ten_then_an_eleventh_file_is_refused(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    await tg.press_label(rep.user, "Skip")
    await tg.send(rep.user, "Visit")
    album = [make_photo(user=rep.user, file_id=f"a{n}", media_group_id="g1") for n in range(9)]
    await tg.feed(*album, make_file(user=rep.user, file_id="d1", media_group_id="g1"))
    assert tg.api.last_text(rep.user.id) == "Added: 10 of 10. Send more, or press Done."
    await tg.feed(make_photo(user=rep.user, file_id="late"))
    assert tg.api.last_text(rep.user.id) == (
        "An activity can have at most 10 photos and documents; this one was not added."
    )
    await tg.press_label(rep.user, "Done")
    assert "Photos and documents: 10" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.id is not None
    stored = await attachments_of(session, row.id)
    assert [a.file_id for a in stored] == [*(f"a{n}" for n in range(9)), "d1"]
    assert [a.position for a in stored] == list(range(10))
    assert stored[0].kind == AttachmentKind.photo
    assert stored[0].file_unique_id == "u-a0"
    assert (stored[-1].kind, stored[-1].file_name) == (AttachmentKind.document, "纪要.pdf")


async def test_the_calendar_pages_back_and_offers_no_future_day(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Calendar")
    now = today(settings)
    days = [label for label in labels(tg, rep.user) if label.isdigit()]
    assert days == [str(n) for n in range(1, now.day + 1)]
    assert "›" not in labels(tg, rep.user)
    await tg.press_label(rep.user, "‹")
    [edit] = [r for r in tg.api.sent(rep.user.id) if isinstance(r, EditMessageReplyMarkup)]
    assert edit.reply_markup is not None
    previous = (now.replace(day=1) - timedelta(days=1)).replace(day=15)
    buttons = [b for row in edit.reply_markup.inline_keyboard for b in row]
    assert any(b.text == "›" for b in buttons)
    fifteenth = next(b for b in buttons if b.text == "15")
    assert fifteenth.callback_data is not None
    await tg.press(rep.user, fifteenth.callback_data)
    assert tg.api.last_text(rep.user.id).startswith("Where did it take place?")
    await tg.press_label(rep.user, "Skip")
    await tg.send(rep.user, "Visit")
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.happened_on == previous


FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("{past:%Y-%m-%d}", "Where did it take place?"),
        ("{past:%Y-%m-%d}".translate(FULL_WIDTH), "Where did it take place?"),
        ("{past.year}年{past.month}月{past.day}日", "Where did it take place?"),
        ("2099-01-01", "Thu 1 Jan 2099 has not come yet."),
        ("2019-06-01", "Sat 1 Jun 2019 is before your term began on Wed 1 Jan 2020."),
        ("sometime", "I could not read that date. Send it like 2024-03-15 or 3月15日."),
    ],
)
async def test_a_typed_date_is_taken_or_refused_with_the_question_kept(
    typed: str, answer: str, tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    if "term" in answer:
        mandate = await session.scalar(
            select(Mandate).where(col(Mandate.person_id) == rep.person_id)
        )
        assert mandate is not None
        mandate.term_start = date(2020, 1, 1)
        await session.commit()
    past = today(settings) - timedelta(days=20)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    assert (await tg.send(rep.user, typed.format(past=past))).startswith(answer)
    expected = "LogFlow:place" if answer.startswith("Where") else "LogFlow:day"
    assert await state_of(tg, rep) == expected
    if expected == "LogFlow:place":
        await tg.press_label(rep.user, "Skip")
        await tg.send(rep.user, "Visit")
        await tg.press_label(rep.user, "Skip")
        await tg.press_label(rep.user, "Save")
        [row] = await activities(session, rep.person_id)
        assert row.happened_on == past


async def test_wrong_kinds_of_input_are_explained_and_change_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    user = rep.user
    await tg.send(user, "/log")
    await tg.feed(make_sticker(user=user))
    assert tg.api.last_text(user.id) == "Please choose the kind of activity with the buttons above."
    await tg.press_label(user, "Inspection")
    await tg.feed(make_voice(user=user))
    assert tg.api.last_text(user.id).startswith("Please choose a date with the buttons above")
    await tg.press_label(user, "Today")
    await tg.feed(make_photo(user=user))
    assert tg.api.last_text(user.id) == "Please type the place, share a location, or press Skip."
    await tg.send(user, "Museum")
    await tg.feed(make_photo(user=user))
    assert tg.api.last_text(user.id) == "Please describe the activity in a text message."
    assert await tg.send(user, " \u3000 ") == (
        "The summary cannot be empty. Describe briefly what you did."
    )
    assert await state_of(tg, rep) == "LogFlow:summary"
    await tg.send(user, "Visit")
    assert await tg.send(user, "here is a text") == (
        "Please send a photo or a document, or press Done or Skip."
    )
    await tg.feed(make_sticker(user=user))
    assert await state_of(tg, rep) == "LogFlow:attachments"
    await tg.press_label(user, "Skip")
    assert await tg.send(user, "save it") == (
        "Please use the buttons on the card: change a field, save or cancel."
    )
    assert "Photos and documents: 0" in last_card(tg, user)


async def test_cancel_by_button_and_by_command_saves_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press(rep.user, CancelCallback())
    assert tg.api.last_text(rep.user.id) == "Cancelled. Nothing was saved."
    await guided_to_card(tg, rep)
    assert await tg.send(rep.user, "/cancel") == "Cancelled. Nothing was saved."
    assert await state_of(tg, rep) is None
    assert await activities(session, rep.person_id) == []


async def test_a_restart_mid_flow_resumes_the_same_step(
    tg: Harness, session: AsyncSession, settings: Settings, engine: AsyncEngine
) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    await tg.app.close()
    second = Harness(build_app(settings, bot_session=FakeSession()))
    try:
        assert await second.send(rep.user, "Museum") == "Describe what you did. Any length is fine."
        await second.send(rep.user, "Visit")
        await second.press_label(rep.user, "Skip")
        card = last_card(second, rep.user)
        assert "Type: Inspection" in card
        assert "Place: Museum" in card
        await second.press_label(rep.user, "Save")
    finally:
        await second.app.close()
    [row] = await activities(session, rep.person_id)
    assert row.summary == "Visit"


async def test_commands_still_work_in_the_middle_of_the_dialog(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.feed(make_message("/me", user=rep.user))
    assert "王建国" in tg.api.last_text(rep.user.id)
    assert [b.text for b in last_markup(tg, rep.user).inline_keyboard[0]] == [
        "Group meeting",
        "Inspection",
    ]


async def test_a_button_day_outside_the_term_is_refused_with_an_alert(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    mandate = await session.scalar(select(Mandate).where(col(Mandate.person_id) == rep.person_id))
    assert mandate is not None
    mandate.term_start, mandate.term_end = date(2018, 3, 1), date(2023, 2, 28)
    await session.commit()
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    [alert] = tg.api.alerts()
    assert alert.startswith(f"{format_date(today(settings), 'en')} is outside your term")
    assert await state_of(tg, rep) == "LogFlow:day"


async def test_a_place_longer_than_the_limit_is_refused(tg: Harness, session: AsyncSession) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    assert await tg.send(rep.user, "x" * 257) == (
        "A place can be at most 256 characters; yours has 257."
    )
    assert await state_of(tg, rep) == "LogFlow:place"
    assert await tg.send(rep.user, "x" * 256) == "Describe what you did. Any length is fine."
