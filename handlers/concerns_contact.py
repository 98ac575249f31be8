"""The constituent's contact: asked for only after the representative says they consented."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from handlers.concerns_flow import STEP, TYPED
from handlers.concerns_keyboards import ConcernConsent
from handlers.concerns_steps import ConcernFlow, advance, load_draft
from services.concerns.inputs import clean_name, clean_phone
from services.config import Settings
from services.i18n_marks import N_

# What a message of the wrong kind gets at each step: one sentence, and the step stays open.
WRONG_INPUT: dict[str | None, str] = {
    ConcernFlow.mandate.state: N_("Please choose the mandate with the buttons above."),
    ConcernFlow.category.state: N_("Please choose a category with the buttons above."),
    ConcernFlow.summary.state: N_("Please describe the concern in a text message."),
    ConcernFlow.place.state: N_("Please type the place as text, or press Skip."),
    ConcernFlow.photo.state: N_("Please send one photo (not a file), or press Skip."),
    ConcernFlow.consent.state: N_("Please answer with the Yes or No buttons above."),
    ConcernFlow.name.state: N_("Please type the constituent's name as text."),
    ConcernFlow.phone.state: N_("Please type the phone number as text."),
    ConcernFlow.confirm.state: N_("Please press Save or Cancel on the card above."),
    ConcernFlow.resume.state: N_("Please press Continue or Start new above."),
}


async def on_consent(
    query: CallbackQuery,
    callback_data: ConcernConsent,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    draft = await load_draft(state)
    draft.consent = callback_data.given
    if not callback_data.given:
        # No consent: whatever was typed earlier (an edit from the card) goes too.
        draft.constituent_name = None
        draft.constituent_phone = None
    await query.answer()
    await advance(bot, query.from_user.id, state, ConcernFlow.consent, draft, settings)


async def on_name(message: Message, state: FSMContext, bot: Bot, settings: Settings) -> None:
    draft = await load_draft(state)
    draft.constituent_name = clean_name(message.text or "")
    await advance(bot, message.chat.id, state, ConcernFlow.name, draft, settings)


async def on_phone(message: Message, state: FSMContext, bot: Bot, settings: Settings) -> None:
    draft = await load_draft(state)
    draft.constituent_phone = clean_phone(message.text or "")
    await advance(bot, message.chat.id, state, ConcernFlow.phone, draft, settings)


async def on_wrong_input(message: Message, state: FSMContext) -> None:
    step = await state.get_state()
    if message.photo and step == ConcernFlow.consent.state:
        # The rest of an album sent at the photo step.
        await message.answer(_("Only one photo is kept: the first one."))
        return
    await message.answer(_(WRONG_INPUT[step or ConcernFlow.confirm.state]))


def register(router: Router) -> None:
    router.callback_query.register(on_consent, ConcernConsent.filter(), ConcernFlow.consent)
    router.message.register(on_name, ConcernFlow.name, TYPED, flags=STEP)
    router.message.register(on_phone, ConcernFlow.phone, TYPED, flags=STEP)
    # Last: anything else in a step (a sticker, a voice note, a photo for text, text for a
    # button), commands excepted.
    not_command = ~(F.text.startswith("/"))
    router.message.register(on_wrong_input, StateFilter(ConcernFlow), not_command, flags=STEP)
