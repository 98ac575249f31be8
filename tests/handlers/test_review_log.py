"""/log against stale buttons, retired types and other features' cards."""

from __future__ import annotations

import pytest
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.log_keyboards import EditActivity, StepAction, StepButton, TypeChoice
from services.activities.drafts import Step
from tests.factories import add_delegation, add_representative, add_staff
from tests.handlers.log_support import Rep, activities, guided_to_card, last_card, seed_rep
from tests.harness import Harness

TYPE_QUESTION = "What kind of activity was it?"
EXPIRED = "This button has expired. Please start again."
RETIRED = "That activity type no longer exists. Please choose another."


def _button_of(tg: Harness, chat_id: int, question: str, label: str) -> str:
    """The data of the button `label` under the first message starting with `question`."""
    for request in tg.api.sent(chat_id):
        markup = getattr(request, "reply_markup", None)
        if isinstance(request, SendMessage) and request.text.startswith(question):
            assert isinstance(markup, InlineKeyboardMarkup)
            for row in markup.inline_keyboard:
                for button in row:
                    if button.text == label and button.callback_data:
                        return button.callback_data
    raise AssertionError(f"no {label!r} under {question!r}")


async def test_a_retired_type_on_an_old_keyboard_is_refused(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect: a type an office retired (active = False) can still be chosen from a type
    keyboard shown before it was retired (or a forged ltype button), and the activity is saved
    with it. services/activities/choices.py type_of looks the type up without checking that it
    is active, although its message says the type no longer exists."""
    rep = await seed_rep(session)
    assert await tg.send(rep.user, "/log") == TYPE_QUESTION
    await _retire(session, rep, "inspection")

    await tg.press(rep.user, TypeChoice(type_id=rep.type_ids["inspection"]))

    assert RETIRED in tg.api.alerts() + tg.api.texts(rep.user.id)
    assert tg.api.texts(rep.user.id)[-1] == TYPE_QUESTION


async def _retire(session: AsyncSession, rep: Rep, code: str) -> None:
    kind = rep.types[code]
    kind.active = False
    session.add(kind)
    await session.commit()


async def test_an_activity_of_a_retired_type_is_edited_and_keeps_it(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.id is not None
    await _retire(session, rep, "inspection")

    await tg.press(rep.user, EditActivity(activity_id=row.id))
    await tg.press_label(rep.user, "✏️ Summary")
    await tg.send(rep.user, "Museum visit, again")
    await tg.press_label(rep.user, "Save changes")

    assert tg.api.last_text(rep.user.id).startswith("✅ Changes saved.")
    [row] = await activities(session, rep.person_id)
    assert (row.type_id, row.summary) == (rep.type_ids["inspection"], "Museum visit, again")


async def test_a_new_activity_whose_type_was_retired_meanwhile_is_not_saved(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await _retire(session, rep, "inspection")

    await tg.press_label(rep.user, "Save")

    assert RETIRED in tg.api.alerts() + tg.api.texts(rep.user.id)
    assert await activities(session, rep.person_id) == []
    await tg.press_label(rep.user, "✏️ Type")
    await tg.press_label(rep.user, "Research visit")
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.type_id == rep.type_ids["research"]


async def test_the_old_attachments_skip_does_not_erase_the_place_being_edited(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect: step buttons carry no step (lstep:skip is the same for the place and the
    attachments questions). Editing the place from the card, a press of the Skip still shown
    under the earlier attachments question erases the place already given and returns to the
    card. The button should be bound to its question (handlers/log_keyboards.py StepButton,
    handlers/log_inputs.py on_place_skip)."""
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    attachments_skip = _button_of(tg, rep.user.id, "Send photos or documents", "Skip")
    await tg.press_label(rep.user, "✏️ Place")
    assert last_card(tg, rep.user).startswith("Where did it take place?")

    # The attachments question's Skip, as it was sent, pressed on its old message.
    await tg.press(rep.user, attachments_skip, message_id=5)

    assert "Place: —" not in last_card(tg, rep.user)


@pytest.mark.parametrize(
    "button",
    [
        StepButton(step=Step.attachments, action=StepAction.done),
        StepButton(step=Step.attachments, action=StepAction.clear),
        StepButton(step=Step.day, action=StepAction.calendar),
        # A button sent before step buttons carried their step.
        "lstep:skip",
    ],
)
async def test_another_questions_step_button_answers_expired_and_changes_nothing(
    button: StepButton | str, tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "✏️ Place")
    sent = len(tg.api.texts(rep.user.id))

    await tg.press(rep.user, button)

    assert tg.api.alerts()[-1] == EXPIRED
    assert len(tg.api.texts(rep.user.id)) == sent
    await tg.press_label(rep.user, "Skip")
    assert "Place: —" in last_card(tg, rep.user)


async def test_a_quick_entry_offer_does_not_expire_an_open_staff_card(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect: for someone who is both a representative and staff, free text starting with a
    type name is offered as a quick entry and the offer replaces the open staff card (here the
    choice among namesakes of /record): its buttons then answer "expired". The offer takes the
    one card slot (handlers/log_quick.py on_offer calls new_card) even when nothing is logged."""
    nanyang = await add_delegation(session, "南阳市人大代表")
    await add_representative(session, telegram_id=8621, delegation=nanyang, name="王建国")
    await add_representative(session, telegram_id=8622, delegation=nanyang, name="王建民")
    rep = await seed_rep(session, telegram_id=8623)
    await add_staff(session, telegram_id=8623, delegations=[nanyang])
    await session.commit()
    assert await tg.send(rep.user, "/record 王建") == (
        "No one is called exactly that. Whom do you mean?"
    )
    assert await tg.send(rep.user, "视察 洛阳博物馆 调研") == "Log this as an activity?"

    await tg.press_label(rep.user, "王建国 · 南阳市人大代表")

    assert "This button has expired. Please start again." not in tg.api.alerts()
    assert len([r for r in tg.api.sent(rep.user.id) if isinstance(r, SendDocument)]) == 2


async def test_my_lists_ones_history_with_the_quarters_points(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect (missing): /my, the history a representative edits and deletes entries from, is
    not there: the command gets the "did not understand" answer, and no message ever carries
    the EditActivity (aedit) button, so a saved activity can be neither edited nor deleted."""
    rep = await seed_rep(session)
    await guided_to_card(tg, rep, summary="Museum visit")
    await tg.press_label(rep.user, "Save")
    assert len(await activities(session, rep.person_id)) == 1

    answer = await tg.send(rep.user, "/my")

    assert "Museum visit" in answer
