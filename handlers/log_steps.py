"""The /log dialog: its states, the draft in the dialog's data, and the question of each step."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from aiogram import BaseMiddleware, Bot, F
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardMarkup, Message, TelegramObject
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, expire_card
from handlers.log_keyboards import (
    StepAction,
    StepButton,
    attachments_keyboard,
    cancel_only,
    day_keyboard,
    mandate_keyboard,
    skip_keyboard,
    type_keyboard,
)
from services.activities.choices import active_types, person_mandates
from services.activities.drafts import ATTACHMENT_LIMIT, PLACE_LIMIT, Draft, Step
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import DateError, local_today
from services.errors import BadInput, DomainError, NotFound
from services.i18n_marks import N_
from services.text import esc

DRAFT = "log_draft"
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class LogFlow(StatesGroup):
    mandate = State()
    type = State()
    day = State()
    place = State()
    summary = State()
    attachments = State()
    card = State()
    bulletin = State()
    # /log sent again while a draft was open: continue it, or start the new one.
    resume = State()


STATE_OF = {
    Step.mandate: LogFlow.mandate,
    Step.type: LogFlow.type,
    Step.day: LogFlow.day,
    Step.place: LogFlow.place,
    Step.summary: LogFlow.summary,
    Step.attachments: LogFlow.attachments,
}


def step_press(step: Step, *actions: StepAction) -> tuple[CallbackQueryFilter, State]:
    """The filters of a step's own buttons, taken only while that step's question is open: a
    Skip left under an earlier question is not the Skip of the question asked now."""
    return StepButton.filter((F.step == step) & F.action.in_(actions)), STATE_OF[step]


@dataclass(frozen=True)
class Flow:
    """What every step needs, taken from the handler's arguments."""

    bot: Bot
    chat_id: int
    state: FSMContext
    session: AsyncSession
    actor: Actor
    settings: Settings

    @property
    def person_id(self) -> int:
        if self.actor.person_id is None:
            raise NotFound()
        return self.actor.person_id

    def today(self) -> date:
        return local_today(utcnow(), self.settings.tz)

    async def draft(self) -> Draft:
        return Draft.from_data((await self.state.get_data()).get(DRAFT))

    async def keep(self, draft: Draft) -> None:
        await self.state.update_data({DRAFT: draft.to_data()})

    async def say(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        await self.bot.send_message(self.chat_id, text, reply_markup=markup)

    async def drop_draft(self) -> None:
        """The draft goes, and its card's buttons expire; the rest of the chat's dialog data (a
        concern's draft, a staff card, an offer) is not /log's to clear."""
        await self.state.update_data({DRAFT: None})
        await expire_card(self.state, slot=Slot.log)


async def ask(flow: Flow, step: Step, draft: Draft) -> None:
    if step is Step.mandate:
        mandates = await person_mandates(session=flow.session, person_id=flow.person_id)
        await flow.say(_("Which mandate does this activity count for?"), mandate_keyboard(mandates))
    elif step is Step.type:
        types = await active_types(session=flow.session)
        if not types:
            raise BadInput(N_("No activity types are set up yet. Please ask your liaison office."))
        markup = type_keyboard(types, flow.actor.locale)
        await flow.say(_("What kind of activity was it?"), markup)
    elif step is Step.day:
        question = _(
            "When did it take place? Choose below or type a date, e.g. 2024-03-15 or 3月15日."
        )
        await flow.say(question, day_keyboard())
    elif step is Step.place:
        question = _(
            "Where did it take place? Type the place (up to {limit} characters) or share a "
            "location; or press Skip."
        ).format(limit=PLACE_LIMIT)
        await flow.say(question, skip_keyboard())
    elif step is Step.summary:
        await flow.say(_("Describe what you did. Any length is fine."), cancel_only())
    else:
        question = _(
            "Send photos or documents if you have any (up to {limit}), then press Done; or press "
            "Skip."
        ).format(limit=ATTACHMENT_LIMIT)
        await flow.say(question, attachments_keyboard(len(draft.attachments)))


BULLETIN_QUESTION = N_("Write a short note for the bulletin (up to {limit} characters).")

# What each state expects, said when something else arrives (a sticker, a photo for a text...).
EXPECTED = {
    LogFlow.mandate.state: N_("Please choose a mandate with the buttons above."),
    LogFlow.type.state: N_("Please choose the kind of activity with the buttons above."),
    LogFlow.day.state: N_(
        "Please choose a date with the buttons above, or type one, e.g. 2024-03-15."
    ),
    LogFlow.place.state: N_("Please type the place, share a location, or press Skip."),
    LogFlow.summary.state: N_("Please describe the activity in a text message."),
    LogFlow.attachments.state: N_("Please send a photo or a document, or press Done or Skip."),
    LogFlow.card.state: N_("Please use the buttons on the card: change a field, save or cancel."),
    LogFlow.bulletin.state: N_("Please write the note for the bulletin as a text message."),
    LogFlow.resume.state: N_("Please press Continue or Start new above."),
}


def not_command(message: Message) -> bool:
    """Commands go to their own handlers, even in the middle of the dialog."""
    return not (message.text or "").startswith("/")


def sentence(error: DomainError, locale: str) -> str:
    """A domain error's message, for a flow that tells it and goes on rather than stopping."""
    if isinstance(error, DateError):
        error = error.localized(locale)
    params = {key: esc(value) for key, value in error.params.items()}
    return _(error.message).format(**params)


class FlowMiddleware(BaseMiddleware):
    """Gives the /log handlers their `flow` (the same objects every step uses, bundled)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat = data.get("event_chat")
        user = data.get("event_from_user")
        chat_id = chat.id if chat is not None else user.id if user is not None else 0
        data["flow"] = Flow(
            bot=data["bot"],
            chat_id=chat_id,
            state=data["state"],
            session=data["session"],
            actor=data["actor"],
            settings=data["settings"],
        )
        return await handler(event, data)
