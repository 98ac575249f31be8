"""Quick entry: `/log 视察 2024-03-15 洛阳博物馆 …` fills the draft at once, and free text that
starts with a type's name is offered as one."""

from __future__ import annotations

from datetime import date

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, new_card
from handlers.log_card import advance
from handlers.log_keyboards import quick_offer_keyboard
from handlers.log_steps import Flow, sentence
from handlers.onboarding import typing_a_code
from services.activities.choices import active_types, check_day, new_draft
from services.activities.drafts import Draft, Step, set_place, set_summary
from services.activities.quick import parse_quick, starts_with_type, type_words
from services.actors import Actor
from services.dates import DateError
from services.errors import BadInput
from services.permissions import Role

# The text offered as a quick entry, kept until Yes or No is pressed (the offer's buttons are
# a card of its own slot, so neither a /log draft's card nor a staff card expires them).
OFFER_TEXT = "log_offer_text"


async def start_quick(flow: Flow, text: str) -> None:
    """Fills a new draft from one line; the flow then asks only what is still missing."""
    draft = (await new_draft(session=flow.session, person_id=flow.person_id)).draft
    await flow.drop_draft()
    types = type_words(await active_types(session=flow.session))
    entry = parse_quick(text, types=types, today=flow.today())
    if entry.type_id is not None:
        draft.type_id = entry.type_id
        draft.mark(Step.type)
    if entry.date_error is not None:
        await flow.say(sentence(entry.date_error, flow.actor.locale))
    elif entry.day is not None:
        await _take_day(flow, draft, entry.day)
    if entry.place:
        try:
            set_place(draft, entry.place)
            draft.mark(Step.place)
        except BadInput as error:
            await flow.say(sentence(error, flow.actor.locale))
    if entry.summary:
        set_summary(draft, entry.summary)
        draft.mark(Step.summary)
    # Photos are added from the card when wanted: a quick entry does not ask for them.
    draft.mark(Step.attachments)
    await advance(flow, draft)


async def _take_day(flow: Flow, draft: Draft, day: date) -> None:
    try:
        await check_day(
            session=flow.session,
            person_id=flow.person_id,
            mandate_id=draft.mandate_id,
            day=day,
            today=flow.today(),
        )
    except DateError as error:
        await flow.say(sentence(error, flow.actor.locale))
        return
    draft.day = day
    draft.mark(Step.day)


async def offers_quick_entry(message: Message, session: AsyncSession, actor: Actor) -> bool:
    """A representative's plain text (not a command, not an invitation code) that starts with
    an activity type's name."""
    text = message.text or ""
    if Role.representative not in actor.roles or text.startswith("/") or typing_a_code(message):
        return False
    types = type_words(await active_types(session=session))
    return starts_with_type(text, types) is not None


async def on_offer(message: Message, flow: Flow) -> None:
    markup = await new_card(flow.state, quick_offer_keyboard, slot=Slot.offer)
    await flow.state.update_data({OFFER_TEXT: message.text})
    await flow.say(_("Log this as an activity?"), markup)


def register(router: Router) -> None:
    router.message.register(
        on_offer,
        F.text,
        StateFilter(None),
        offers_quick_entry,
        flags={"action": "quick_offer"},
    )
