"""One dialog at a time, none dropped unasked: /log, Edit on a saved activity, a quick entry's
Yes, /concern and a reception's concern button, each while an unsaved activity or concern is
open, first ask to continue it or to discard it and start the new one."""

from __future__ import annotations

from aiogram.types import User
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.app import build_app
from handlers.concerns_keyboards import ConcernFromReception
from handlers.log_keyboards import EditActivity
from services.config import Settings
from storage.duty_models import Concern
from tests.factories import add_reception
from tests.fakes import FakeSession
from tests.handlers.log_support import activities, guided_to_card, labels, last_card, seed_rep
from tests.handlers.test_log_resume import button_data, today_en
from tests.harness import Harness

ACTIVITY_OPEN = (
    "You have an activity that is not saved yet: Inspection · {day}. Continue it, or discard it "
    "and start the new one?"
)
CONCERN_OPEN = (
    "You have a concern that is not saved yet: Environment · Dust from a building site. "
    "Continue it, or discard it and start the new one?"
)
PLACE_QUESTION = "Where did it take place?"
CATEGORY_QUESTION = "Which category is the concern?"
CONCERN_PLACE = "Where is it? Type the place, or press Skip."


async def concerns(session: AsyncSession) -> list[Concern]:
    session.expire_all()
    found = list((await session.scalars(select(Concern).order_by(col(Concern.id)))).all())
    await session.commit()
    return found


async def concern_to_place(tg: Harness, user: User) -> None:
    assert await tg.send(user, "/concern") == CATEGORY_QUESTION
    await tg.press_label(user, "Environment")
    assert await tg.send(user, "Dust from a building site") == CONCERN_PLACE


async def finish_concern(tg: Harness, user: User) -> None:
    """From the place question on: no place, no photo, no consent, saved."""
    await tg.press_label(user, "Skip")
    await tg.press_label(user, "Skip")
    await tg.press_label(user, "No")
    await tg.press_label(user, "Save")


async def activity_to_place(tg: Harness, user: User) -> None:
    await tg.send(user, "/log")
    await tg.press_label(user, "Inspection")
    await tg.press_label(user, "Today")
    assert tg.api.last_text(user.id).startswith(PLACE_QUESTION)


async def test_edit_with_an_activity_open_asks_first(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep, summary="First visit")
    await tg.press_label(rep.user, "Save")
    [saved] = await activities(session, rep.person_id)
    assert saved.id is not None
    await activity_to_place(tg, rep.user)

    await tg.press(rep.user, EditActivity(activity_id=saved.id))

    assert tg.api.last_text(rep.user.id) == ACTIVITY_OPEN.format(day=today_en(settings))
    assert labels(tg, rep.user) == ["Continue", "Start new"]
    await tg.press_label(rep.user, "Continue")
    assert tg.api.last_text(rep.user.id).startswith(PLACE_QUESTION)
    await tg.press(rep.user, EditActivity(activity_id=saved.id))
    await tg.press_label(rep.user, "Start new")
    card = last_card(tg, rep.user)
    assert card.startswith("<b>Editing an activity</b>")
    assert "Summary: First visit" in card


async def test_a_forged_edit_is_refused_before_anything_is_asked(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await activity_to_place(tg, rep.user)
    await tg.press(rep.user, EditActivity(activity_id=4242))
    assert tg.api.alerts()[-1] == "That record does not exist or is not yours."
    assert await tg.send(rep.user, "Museum") == "Describe what you did. Any length is fine."


async def test_log_with_a_concern_open_asks_and_continue_keeps_the_concern(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await concern_to_place(tg, rep.user)

    assert await tg.send(rep.user, "/log") == CONCERN_OPEN
    assert labels(tg, rep.user) == ["Continue", "Start new"]
    assert await tg.send(rep.user, "Other text") == "Please press Continue or Start new above."
    await tg.press_label(rep.user, "Continue")
    assert tg.api.last_text(rep.user.id) == CONCERN_PLACE
    await finish_concern(tg, rep.user)
    [concern] = await concerns(session)
    assert (concern.category, concern.summary) == ("environment", "Dust from a building site")
    assert await activities(session, rep.person_id) == []


async def test_log_with_a_concern_open_start_new_discards_the_concern(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await concern_to_place(tg, rep.user)
    await tg.send(rep.user, "/log Inspection today Museum Visit")
    await tg.press_label(rep.user, "Start new")
    assert "Type: Inspection" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save")

    assert len(await activities(session, rep.person_id)) == 1
    assert await tg.send(rep.user, "/concern") == CATEGORY_QUESTION
    assert await concerns(session) == []


async def test_concern_with_an_activity_open_asks_and_keeps_both_choices_working(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    await activity_to_place(tg, rep.user)

    assert await tg.send(rep.user, "/concern") == ACTIVITY_OPEN.format(day=today_en(settings))
    await tg.press_label(rep.user, "Continue")
    assert tg.api.last_text(rep.user.id).startswith(PLACE_QUESTION)
    await tg.send(rep.user, "Museum")
    await tg.send(rep.user, "Visit")
    await tg.press_label(rep.user, "Skip")
    await tg.send(rep.user, "/concern")
    await tg.press_label(rep.user, "Start new")
    assert tg.api.last_text(rep.user.id) == CATEGORY_QUESTION
    await tg.press_label(rep.user, "Environment")
    await tg.send(rep.user, "Dust from a building site")
    await finish_concern(tg, rep.user)
    assert len(await concerns(session)) == 1
    assert await activities(session, rep.person_id) == []


async def test_a_receptions_concern_button_with_an_activity_open_asks_first(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    reception = await add_reception(session, person=rep.person)
    reception_id = reception.id
    assert reception_id is not None
    await session.commit()
    await activity_to_place(tg, rep.user)

    await tg.press(rep.user, ConcernFromReception(activity_id=reception_id))

    assert tg.api.last_text(rep.user.id) == ACTIVITY_OPEN.format(day=today_en(settings))
    await tg.press_label(rep.user, "Start new")
    assert tg.api.last_text(rep.user.id) == CATEGORY_QUESTION
    await tg.press_label(rep.user, "Environment")
    await tg.send(rep.user, "Dust from a building site")
    await finish_concern(tg, rep.user)
    [concern] = await concerns(session)
    assert concern.activity_id == reception_id


async def test_a_quick_entrys_yes_with_an_activity_open_asks_first(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    assert await tg.send(rep.user, "Research visit today Plant Talks") == (
        "Log this as an activity?"
    )
    yes = button_data(tg, rep.user, "Yes")
    await activity_to_place(tg, rep.user)

    await tg.press(rep.user, yes)

    assert tg.api.last_text(rep.user.id) == ACTIVITY_OPEN.format(day=today_en(settings))
    await tg.press_label(rep.user, "Start new")
    assert "Type: Research visit" in last_card(tg, rep.user)


async def test_a_concern_at_its_card_comes_back_to_the_card(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await concern_to_place(tg, rep.user)
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "No")
    old_save = button_data(tg, rep.user, "Save")
    await tg.send(rep.user, "/log")

    await tg.press(rep.user, old_save)
    assert tg.api.alerts()[-1] == "This button has expired. Please start again."
    await tg.press_label(rep.user, "Continue")
    assert "Category: Environment" in tg.api.last_text(rep.user.id)
    await tg.press_label(rep.user, "Save")
    assert len(await concerns(session)) == 1


async def test_a_concern_being_changed_from_its_card_comes_back_to_that_field(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await concern_to_place(tg, rep.user)
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "No")
    await tg.press_label(rep.user, "Edit place")
    await tg.send(rep.user, "/concern")
    await tg.press_label(rep.user, "Continue")

    assert tg.api.last_text(rep.user.id) == CONCERN_PLACE
    assert "Place: Site gate" in await tg.send(rep.user, "Site gate")
    await tg.press_label(rep.user, "Save")
    [concern] = await concerns(session)
    assert concern.place == "Site gate"


async def test_the_concern_waits_through_a_restart(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    await concern_to_place(tg, rep.user)
    await tg.send(rep.user, "/log")
    proceed = button_data(tg, rep.user, "Continue")
    await tg.app.close()
    second = Harness(build_app(settings, bot_session=FakeSession()))
    try:
        await second.press(rep.user, proceed)
        assert second.api.last_text(rep.user.id) == CONCERN_PLACE
        await finish_concern(second, rep.user)
    finally:
        await second.app.close()
    assert len(await concerns(session)) == 1


async def test_the_question_about_a_concern_in_chinese(tg: Harness, session: AsyncSession) -> None:
    rep = await seed_rep(session, language="zh")
    await tg.send(rep.user, "/concern")
    await tg.press_label(rep.user, "生态环境")
    await tg.send(rep.user, "工地扬尘<b>严重</b>")

    assert await tg.send(rep.user, "/log") == (
        "您有一件社情民意尚未保存：生态环境 · 工地扬尘&lt;b&gt;严重&lt;/b&gt;。"
        "要继续填写，还是放弃这件、开始新的登记？"
    )
    assert labels(tg, rep.user) == ["继续", "开始新登记"]
