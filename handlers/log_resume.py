"""/log sent again while an activity is still being logged: the draft is never dropped unasked.

The person chooses to continue it (its open question, or the card, is shown again) or to discard
it and start what they asked for now. The new /log's words wait in the dialog data meanwhile, so
neither is lost, not even by a restart of the bot.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field

from handlers import log_quick
from handlers.cards import Slot, new_card, spend_card
from handlers.log_card import advance
from handlers.log_steps import Flow, LogFlow
from services.activities.choices import chosen_type, new_draft, type_name
from services.activities.drafts import Draft
from services.dates import format_date
from services.people import ROW_ID_MAX
from services.text import esc

# The words of the /log that found a draft open, kept until Continue or Start new is pressed.
WAITING = "log_waiting"
IN_DIALOG = frozenset(state.state for state in LogFlow.__states__)


class ResumeChoice(CallbackData, prefix="lres"):
    card: int = Field(ge=1, le=ROW_ID_MAX)
    start_new: bool


async def start_log(flow: Flow, words: str | None) -> None:
    """/log [words]: a new draft; but with one open that has answers, the person chooses first."""
    if await flow.state.get_state() in IN_DIALOG:
        draft = await flow.draft()
        if draft.started():
            await _ask(flow, draft, words or "")
            return
    await _begin(flow, words)


async def _begin(flow: Flow, words: str | None) -> None:
    if words:
        await log_quick.start_quick(flow, words)
        return
    draft = (await new_draft(session=flow.session, person_id=flow.person_id)).draft
    # A new dialog: the buttons of any earlier card expire.
    await flow.drop_draft()
    await advance(flow, draft)


async def _ask(flow: Flow, draft: Draft, words: str) -> None:
    await flow.state.set_state(LogFlow.resume)
    await flow.state.update_data({WAITING: words})
    # The card's slot: the open card's buttons wait behind the answer, which shows it again.
    markup = await new_card(flow.state, _buttons, slot=Slot.log)
    await flow.say(await _question(flow, draft), markup)


async def _question(flow: Flow, draft: Draft) -> str:
    kind = await chosen_type(session=flow.session, draft=draft)
    locale = flow.actor.locale
    named = " · ".join(
        [
            type_name(kind, locale) if kind is not None else "—",
            format_date(draft.day, locale) if draft.day is not None else "—",
        ]
    )
    if draft.activity_id is not None:
        question = _(
            "You have changes to an activity that are not saved yet: {activity}. Continue them, "
            "or discard them and start the new one?"
        )
    else:
        question = _(
            "You have an activity that is not saved yet: {activity}. Continue it, or discard it "
            "and start the new one?"
        )
    return question.format(activity=esc(named))


def _buttons(card: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Continue"), callback_data=ResumeChoice(card=card, start_new=False))
    builder.button(text=_("Start new"), callback_data=ResumeChoice(card=card, start_new=True))
    return builder.as_markup()


async def on_resume(query: CallbackQuery, callback_data: ResumeChoice, flow: Flow) -> None:
    await spend_card(flow.state, callback_data.card, query, flow.bot, slot=Slot.log)
    words = (await flow.state.get_data()).get(WAITING)
    await flow.state.update_data({WAITING: None})
    if callback_data.start_new:
        await _begin(flow, words if isinstance(words, str) else None)
    else:
        await advance(flow, await flow.draft())


def register(router: Router) -> None:
    # No state filter: the one-use number is the check, and a second press says it was used.
    router.callback_query.register(on_resume, ResumeChoice.filter())
