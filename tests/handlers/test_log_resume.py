"""/log sent again while an activity is still being logged: continue it, or start the new one."""

from __future__ import annotations

from aiogram.types import User
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import build_app
from handlers.log_keyboards import EditActivity
from services.clock import utcnow
from services.config import Settings
from services.dates import format_date, local_today
from tests.fakes import FakeSession
from tests.handlers.log_support import (
    activities,
    guided_to_card,
    labels,
    last_card,
    last_markup,
    seed_rep,
)
from tests.harness import Harness

PLACE_QUESTION = "Where did it take place?"
TYPE_QUESTION = "What kind of activity was it?"


def button_data(tg: Harness, user: User, label: str) -> str:
    """The data of the button `label` on the last keyboard sent to `user`."""
    found = [b.callback_data for row in last_markup(tg, user).inline_keyboard for b in row]
    texts = [b.text for row in last_markup(tg, user).inline_keyboard for b in row]
    data = found[texts.index(label)]
    assert data is not None
    return data


def today_en(settings: Settings) -> str:
    return format_date(local_today(utcnow(), settings.tz), "en")


async def test_continue_asks_the_open_question_again_and_keeps_the_answers(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")

    answer = await tg.send(rep.user, "/log")

    assert answer == (
        f"You have an activity that is not saved yet: Inspection · {today_en(settings)}. "
        "Continue it, or discard it and start the new one?"
    )
    assert labels(tg, rep.user) == ["Continue", "Start new"]
    await tg.press_label(rep.user, "Continue")
    assert tg.api.last_text(rep.user.id).startswith(PLACE_QUESTION)
    await tg.send(rep.user, "Museum")
    await tg.send(rep.user, "Visit")
    await tg.press_label(rep.user, "Skip")
    assert "Type: Inspection" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert (row.type_id, row.place) == (rep.type_ids["inspection"], "Museum")


async def test_start_new_discards_the_card_and_starts_the_quick_entry_sent(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session, language="zh")
    await tg.send(rep.user, "/log 视察 2024-03-15 洛阳博物馆 文旅调研")

    answer = await tg.send(rep.user, "/log 调研 2024-03-14 产业园 走访企业")

    assert answer == (
        "您有一条履职活动尚未保存：视察 · 2024年3月15日（周五）。"
        "要继续填写，还是放弃这条、开始新的登记？"
    )
    assert labels(tg, rep.user) == ["继续", "开始新登记"]
    await tg.press_label(rep.user, "开始新登记")
    card = last_card(tg, rep.user)
    assert "类型：调研" in card
    assert "地点：产业园" in card
    await tg.press_label(rep.user, "保存")
    [row] = await activities(session, rep.person_id)
    assert (row.type_id, row.summary) == (rep.type_ids["research"], "走访企业")


async def test_start_new_without_words_asks_the_first_question(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Start new")
    assert tg.api.last_text(rep.user.id) == TYPE_QUESTION
    await tg.press_label(rep.user, "Reception")
    await tg.press_label(rep.user, "Yesterday")
    assert tg.api.last_text(rep.user.id).startswith(PLACE_QUESTION)


async def test_nothing_given_yet_starts_again_without_asking(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    assert await tg.send(rep.user, "/log") == TYPE_QUESTION
    assert await tg.send(rep.user, "/log") == TYPE_QUESTION


async def test_while_the_question_is_open_the_draft_waits_unchanged(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep, summary="Museum visit")
    old_save = button_data(tg, rep.user, "Save")
    await tg.send(rep.user, "/log")

    assert await tg.send(rep.user, "Other text") == "Please press Continue or Start new above."
    await tg.press(rep.user, old_save)
    assert tg.api.alerts()[-1] == "This button has expired. Please start again."
    assert await activities(session, rep.person_id) == []
    await tg.press_label(rep.user, "Continue")
    assert "Summary: Museum visit" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Continue")
    assert tg.api.alerts()[-1] == "This button has already been used."
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.summary == "Museum visit"


async def test_unsaved_changes_to_a_saved_activity_are_asked_about_too(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.id is not None
    await tg.press(rep.user, EditActivity(activity_id=row.id))
    await tg.press_label(rep.user, "✏️ Summary")

    answer = await tg.send(rep.user, "/log")

    assert answer == (
        "You have changes to an activity that are not saved yet: "
        f"Inspection · {today_en(settings)}. Continue them, or discard them and start the new one?"
    )
    await tg.press_label(rep.user, "Continue")
    assert tg.api.last_text(rep.user.id) == "Describe what you did. Any length is fine."


async def test_the_waiting_words_survive_a_restart(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.send(rep.user, "/log Research visit today Plant Talks with workers")
    start_new = button_data(tg, rep.user, "Start new")
    await tg.app.close()
    second = Harness(build_app(settings, bot_session=FakeSession()))
    try:
        await second.press(rep.user, start_new)
        card = last_card(second, rep.user)
        assert "Type: Research visit" in card
        assert "Place: Plant" in card
    finally:
        await second.app.close()
