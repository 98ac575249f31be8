"""The steps of recording a concern: their states, questions and order.

The draft lives in the dialog data (database-backed), so a restart resumes the same step.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.cancel import cancel_button
from handlers.cards import Slot, expire_card, new_card
from handlers.concerns_keyboards import (
    ConcernCategory,
    ConcernConsent,
    ConcernEdit,
    ConcernMandate,
    ConcernSave,
    EditField,
    Skip,
    rows,
    skip_button,
    with_cancel,
)
from handlers.concerns_render import category_text, draft_text
from services.concerns.flow import ConcernDraft, MandateChoice, category_number
from services.config import Settings
from services.i18n_marks import N_
from services.labels import LEVEL_LABELS
from services.text import split_text

DRAFT = "concern_draft"
# Set while one field is changed from the confirm card: the answer leads back to the card.
EDITING = "concern_editing"
# The step that was open when another dialog was asked for, to ask again on Continue.
BACK = "concern_back"


class ConcernFlow(StatesGroup):
    mandate = State()
    category = State()
    summary = State()
    place = State()
    photo = State()
    consent = State()
    name = State()
    phone = State()
    confirm = State()
    # Another dialog was asked for while this one was open: continue it, or start the other.
    resume = State()


QUESTIONS: dict[str | None, str] = {
    ConcernFlow.summary.state: N_("Describe the concern in a message (any length)."),
    ConcernFlow.place.state: N_("Where is it? Type the place, or press Skip."),
    ConcernFlow.photo.state: N_("Send one photo of it, or press Skip."),
    ConcernFlow.name.state: N_("The constituent's name?"),
    ConcernFlow.phone.state: N_("The constituent's phone number?"),
}
SKIPS = {ConcernFlow.place.state: Skip.place, ConcernFlow.photo.state: Skip.photo}


async def load_draft(state: FSMContext) -> ConcernDraft:
    return ConcernDraft.model_validate((await state.get_data()).get(DRAFT) or {})


async def save_draft(state: FSMContext, draft: ConcernDraft) -> None:
    await state.update_data({DRAFT: draft.model_dump(mode="json")})


async def drop_draft(state: FSMContext) -> None:
    """The draft goes, and its card's buttons expire; the rest of the chat's dialog data (a /log
    draft, a staff card, an offer) is not this dialog's to clear."""
    await state.update_data({DRAFT: None, EDITING: None, BACK: None})
    await expire_card(state, slot=Slot.concern)


async def ask_mandate(
    bot: Bot, chat_id: int, state: FSMContext, choices: list[MandateChoice]
) -> None:
    await state.set_state(ConcernFlow.mandate)
    buttons = [
        InlineKeyboardButton(
            text=_("Term {term}, {level}: {delegation}").format(
                term=choice.term_number,
                level=_(LEVEL_LABELS[choice.level]),
                delegation=choice.delegation,
            ),
            callback_data=ConcernMandate(mandate=choice.mandate_id).pack(),
        )
        for choice in choices
    ]
    await bot.send_message(
        chat_id,
        _("Which mandate is this concern for?"),
        reply_markup=with_cancel(*buttons, width=1),
    )


async def ask(bot: Bot, chat_id: int, state: FSMContext, step: State, settings: Settings) -> None:
    """Moves to `step` and asks its question."""
    await state.set_state(step)
    if step == ConcernFlow.category:
        buttons = [
            InlineKeyboardButton(
                text=category_text(code),
                callback_data=ConcernCategory(category=category_number(code)).pack(),
            )
            for code in settings.concern_categories
        ]
        await bot.send_message(
            chat_id, _("Which category is the concern?"), reply_markup=with_cancel(*buttons)
        )
    elif step == ConcernFlow.consent:
        buttons = [
            InlineKeyboardButton(text=_("Yes"), callback_data=ConcernConsent(given=True).pack()),
            InlineKeyboardButton(text=_("No"), callback_data=ConcernConsent(given=False).pack()),
        ]
        question = _("Did the constituent consent to their contact details being recorded?")
        await bot.send_message(chat_id, question, reply_markup=with_cancel(*buttons))
    elif step == ConcernFlow.confirm:
        await show_card(bot, chat_id, state)
    else:
        skip = SKIPS.get(step.state)
        extra = (skip_button(skip),) if skip is not None else ()
        await bot.send_message(chat_id, _(QUESTIONS[step.state]), reply_markup=with_cancel(*extra))


def next_step(current: State, draft: ConcernDraft, *, editing: bool) -> State:
    """Where the dialog goes after `current` was answered."""
    if current == ConcernFlow.consent and draft.consent:
        return ConcernFlow.name
    if current == ConcernFlow.name:
        return ConcernFlow.phone
    if editing or current in (ConcernFlow.consent, ConcernFlow.phone):
        return ConcernFlow.confirm
    order = [ConcernFlow.mandate, ConcernFlow.category, ConcernFlow.summary]
    order += [ConcernFlow.place, ConcernFlow.photo, ConcernFlow.consent]
    return order[order.index(current) + 1]


async def advance(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    current: State,
    draft: ConcernDraft,
    settings: Settings,
) -> None:
    """Keeps the answer and asks the next question."""
    await save_draft(state, draft)
    editing = bool((await state.get_data()).get(EDITING))
    step = next_step(current, draft, editing=editing)
    await ask(bot, chat_id, state, step, settings)


async def show_card(bot: Bot, chat_id: int, state: FSMContext) -> None:
    """The confirm card; its buttons work once (Save twice saves once)."""
    await state.set_state(ConcernFlow.confirm)
    await state.update_data({EDITING: False})
    draft = await load_draft(state)

    def buttons(card: int) -> InlineKeyboardMarkup:
        labels = {
            EditField.category: _("Edit category"),
            EditField.summary: _("Edit summary"),
            EditField.place: _("Edit place"),
            EditField.photo: _("Edit photo"),
            EditField.contact: _("Edit consent and contact"),
        }
        edits = [
            InlineKeyboardButton(
                text=label, callback_data=ConcernEdit(field=field, card=card).pack()
            )
            for field, label in labels.items()
        ]
        save = InlineKeyboardButton(text=_("Save"), callback_data=ConcernSave(card=card).pack())
        return InlineKeyboardMarkup(inline_keyboard=[*rows(*edits), [save, cancel_button()]])

    markup = await new_card(state, buttons, slot=Slot.concern)
    parts = split_text(draft_text(draft))
    for part in parts[:-1]:
        await bot.send_message(chat_id, part)
    await bot.send_message(chat_id, parts[-1], reply_markup=markup)
