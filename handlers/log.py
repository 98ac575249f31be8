"""/log: a duty activity, asked step by step or typed in one line, confirmed on a card, saved.

The dialog's steps are in log_inputs, the card in log_card, the one-line entry in log_quick;
starting one while an activity or a concern is still open asks first (dialogs).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import dialogs, log_inputs, log_quick
from handlers.cards import Slot, spend_card
from handlers.dialogs_choice import Wanted
from handlers.log_card import advance
from handlers.log_keyboards import (
    CardAction,
    CardButton,
    EditActivity,
    QuickOffer,
    after_save_keyboard,
    cancel_only,
)
from handlers.log_steps import BULLETIN_QUESTION, Flow, FlowMiddleware, LogFlow
from services.activities.choices import type_of
from services.activities.drafts import BULLETIN_NOTE_LIMIT, Draft, Step
from services.activities.save import SavedActivity, save_activity
from services.clock import utcnow
from services.dates import format_quarter
from services.errors import DomainError
from services.i18n_marks import N_

# The number of the card whose Save was pressed, so that a second press says it was saved.
SAVED_CARD = "log_saved_card"


class AlreadySaved(DomainError):
    message = N_("This activity has already been saved.")


async def cmd_log(message: Message, command: CommandObject, flow: Flow) -> None:
    await dialogs.start(flow, Wanted(words=command.args))


async def on_offer_answer(query: CallbackQuery, callback_data: QuickOffer, flow: Flow) -> None:
    await spend_card(flow.state, callback_data.offer, query, flow.bot, slot=Slot.offer)
    text = (await flow.state.get_data()).get(log_quick.OFFER_TEXT)
    await flow.state.update_data({log_quick.OFFER_TEXT: None})
    if callback_data.accept and isinstance(text, str):
        await dialogs.start(flow, Wanted(words=text))
    else:
        await flow.say(_("All right, nothing was logged."))


async def on_card(query: CallbackQuery, callback_data: CardButton, flow: Flow) -> None:
    if (await flow.state.get_data()).get(SAVED_CARD) == callback_data.card:
        raise AlreadySaved()
    if callback_data.action is CardAction.save:
        # Checked before the card is spent: a draft that cannot be saved keeps its card, also
        # where dialog state is not rolled back with a failed update (Redis).
        await check_type(flow.session, await flow.draft())
    await spend_card(flow.state, callback_data.card, query, flow.bot, slot=Slot.log)
    draft = await flow.draft()
    action = callback_data.action
    if action is CardAction.save:
        await _save(flow, draft, callback_data.card)
    elif action is CardAction.bulletin and draft.for_bulletin:
        draft.for_bulletin, draft.bulletin_note = False, None
        await advance(flow, draft)
    elif action is CardAction.bulletin:
        await flow.state.set_state(LogFlow.bulletin)
        question = _(BULLETIN_QUESTION).format(limit=BULLETIN_NOTE_LIMIT)
        await flow.say(question, cancel_only())
    else:
        draft.reopen(Step(action.value))
        await advance(flow, draft)


async def check_type(session: AsyncSession, draft: Draft) -> None:
    """The draft's type can still be saved (it was not retired meanwhile), or the reason why."""
    if draft.type_id is not None:
        await type_of(session=session, type_id=draft.type_id, saved_type_id=draft.saved_type_id)


async def _save(flow: Flow, draft: Draft, card: int) -> None:
    saved = await save_activity(
        session=flow.session, person_id=flow.person_id, draft=draft, now=utcnow()
    )
    # The dialog ends; the card's number stays, for a second press of Save.
    await flow.state.set_state(None)
    await flow.drop_draft()
    await flow.state.update_data({SAVED_CARD: card})
    markup = after_save_keyboard(saved.activity_id, reception=saved.is_reception)
    await flow.say(saved_text(saved, flow.actor.locale), markup)


def saved_text(saved: SavedActivity, locale: str) -> str:
    lead = _("Changes saved.") if saved.edited else _("Saved.")
    quarter = format_quarter(saved.year, saved.quarter, locale)
    return "\n".join(
        [
            f"✅ {lead}",
            _("Points for this activity: {points}").format(points=saved.points),
            _("Your points in {quarter}: {total}").format(
                quarter=quarter, total=saved.quarter_points
            ),
        ]
    )


async def on_edit_activity(query: CallbackQuery, callback_data: EditActivity, flow: Flow) -> None:
    await dialogs.start(flow, Wanted(kind="edit", activity_id=callback_data.activity_id))
    await query.answer()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.middleware(FlowMiddleware())
    router.callback_query.middleware(FlowMiddleware())
    router.message.register(cmd_log, Command("log"))
    router.callback_query.register(on_card, CardButton.filter())
    router.callback_query.register(on_edit_activity, EditActivity.filter())
    router.callback_query.register(on_offer_answer, QuickOffer.filter())
    log_inputs.register(router)
    log_quick.register(router)
    dialogs.register(router)
    return router
