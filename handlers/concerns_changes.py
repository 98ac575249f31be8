"""Moving one's concern to its next state: the department when forwarded, the reason when
closed, an optional note otherwise; then the card again, with the new step in its timeline."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_card import send_card
from handlers.concerns_flow import STEP, TYPED
from handlers.concerns_keyboards import ConcernSkip, Skip, skip_button, with_cancel
from handlers.concerns_render import refusal_text, state_text
from services.actors import Actor
from services.clock import utcnow
from services.concerns import ConcernState
from services.concerns.changes import change_state
from services.concerns.inputs import clean_department
from services.concerns.transitions import NEEDS_DEPARTMENT, NEEDS_NOTE, IllegalTransition
from services.config import Settings

CHANGE = "concern_change"


class ConcernChange(StatesGroup):
    department = State()
    note = State()


async def begin(
    bot: Bot, chat_id: int, state: FSMContext, concern_id: int, target: ConcernState
) -> None:
    """Asks for the department or the note of a change already checked (begin_change); started
    by the concern card's buttons in handlers.concerns_start."""
    await state.update_data({CHANGE: {"concern": concern_id, "to": target.value}})
    if target in NEEDS_DEPARTMENT:
        await state.set_state(ConcernChange.department)
        question = _("Which department was concern #{id} forwarded to?").format(id=concern_id)
        await bot.send_message(chat_id, question, reply_markup=with_cancel())
        return
    await _ask_note(bot, chat_id, state, concern_id, target)


async def _ask_note(
    bot: Bot, chat_id: int, state: FSMContext, concern_id: int, target: ConcernState
) -> None:
    await state.set_state(ConcernChange.note)
    if target in NEEDS_NOTE:
        question = _("Why is concern #{id} being closed?").format(id=concern_id)
        await bot.send_message(chat_id, question, reply_markup=with_cancel())
        return
    question = _("A note for this step of concern #{id} (optional), or press Skip.").format(
        id=concern_id
    )
    await bot.send_message(chat_id, question, reply_markup=with_cancel(skip_button(Skip.note)))


async def on_department(message: Message, state: FSMContext, bot: Bot) -> None:
    change = (await state.get_data())[CHANGE]
    change["department"] = clean_department(message.text or "")
    await state.update_data({CHANGE: change})
    await _ask_note(bot, message.chat.id, state, change["concern"], ConcernState(change["to"]))


async def _apply(
    bot: Bot,
    chat_id: int,
    note: str | None,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    settings: Settings,
) -> None:
    change = (await state.get_data())[CHANGE]
    concern_id, target = int(change["concern"]), ConcernState(change["to"])
    try:
        await change_state(
            session=session,
            concern_id=concern_id,
            person_id=actor.person_id,
            target=target,
            note=note,
            department=change.get("department"),
            actor_telegram_id=actor.telegram_id,
            now=utcnow(),
        )
    except IllegalTransition as refused:
        # It moved on in the meantime (another device): say so, and end this change.
        await _end(state)
        await bot.send_message(chat_id, refusal_text(refused, concern_id))
        return
    await _end(state)
    done = _("Concern #{id} is now {state}.").format(id=concern_id, state=state_text(target))
    await bot.send_message(chat_id, done)
    await send_card(bot, chat_id, session, actor, settings, concern_id)


async def _end(state: FSMContext) -> None:
    """The change's own data goes; the rest of the chat's dialog data is not its to clear."""
    await state.set_state(None)
    await state.update_data({CHANGE: None})


async def on_note(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    await _apply(bot, message.chat.id, message.text, session, actor, state, settings)


async def on_skip_note(
    query: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    await query.answer()
    await _apply(bot, query.from_user.id, None, session, actor, state, settings)


async def on_wrong_input(message: Message) -> None:
    await message.answer(_("Please answer in a text message, or press Cancel."))


def register(router: Router) -> None:
    router.message.register(on_department, ConcernChange.department, TYPED, flags=STEP)
    router.message.register(on_note, ConcernChange.note, TYPED, flags=STEP)
    skip_note = ConcernSkip.filter(F.step == Skip.note)
    router.callback_query.register(on_skip_note, skip_note, ConcernChange.note)
    not_command = ~(F.text.startswith("/"))
    router.message.register(on_wrong_input, StateFilter(ConcernChange), not_command, flags=STEP)
