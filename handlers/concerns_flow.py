"""Recording a concern step by step: mandate, category, summary, place, photo (started by
/concern or the button under a saved reception, in handlers.concerns_start)."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_keyboards import (
    ConcernCategory,
    ConcernMandate,
    ConcernSkip,
    Skip,
)
from handlers.concerns_steps import (
    BACK,
    ConcernFlow,
    advance,
    ask,
    ask_mandate,
    drop_draft,
    load_draft,
    save_draft,
)
from services.actors import Actor
from services.concerns.flow import ConcernDraft, check_category, check_mandate, mandate_choices
from services.concerns.inputs import clean_place, clean_summary
from services.config import Settings
from services.errors import NotFound, StaleButton

STEP = {"action": "concern_step"}
# Text that is not a command: a command mid-dialog goes to its own handler, never into a field.
TYPED = F.text & ~F.text.startswith("/")


async def begin(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    draft: ConcernDraft,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
) -> None:
    """A new dialog (handlers.dialogs asks first if one with answers is open); the mandate is
    asked only if there is a choice."""
    if actor.person_id is None:
        raise NotFound()
    await drop_draft(state)
    if draft.mandate_id is None:
        choices = await mandate_choices(session=session, person_id=actor.person_id)
        if not choices:
            raise NotFound()
        if len(choices) > 1:
            await save_draft(state, draft)
            await ask_mandate(bot, chat_id, state, choices)
            return
        draft.mandate_id = choices[0].mandate_id
    await advance(bot, chat_id, state, ConcernFlow.mandate, draft, settings)


async def resume(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
) -> None:
    """Continue: the question that was open (or the card) is asked again, answers kept."""
    back = (await state.get_data()).get(BACK)
    step = next((step for step in ConcernFlow.__states__ if step.state == back), None)
    if step is None or step in (ConcernFlow.mandate, ConcernFlow.resume):
        # Nothing to go back to but the draft: start it again from its first open question.
        await begin(bot, chat_id, state, await load_draft(state), session, actor, settings)
        return
    await state.update_data({BACK: None})
    await ask(bot, chat_id, state, step, settings)


async def on_mandate(
    query: CallbackQuery,
    callback_data: ConcernMandate,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    if actor.person_id is None:
        raise NotFound()
    await check_mandate(
        session=session, person_id=actor.person_id, mandate_id=callback_data.mandate
    )
    draft = await load_draft(state)
    draft.mandate_id = callback_data.mandate
    await query.answer()
    await advance(bot, query.from_user.id, state, ConcernFlow.mandate, draft, settings)


async def on_category(
    query: CallbackQuery,
    callback_data: ConcernCategory,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    draft = await load_draft(state)
    draft.category = check_category(settings.concern_categories, callback_data.category)
    await query.answer()
    await advance(bot, query.from_user.id, state, ConcernFlow.category, draft, settings)


async def on_summary(message: Message, state: FSMContext, bot: Bot, settings: Settings) -> None:
    draft = await load_draft(state)
    draft.summary = clean_summary(message.text or "")
    await advance(bot, message.chat.id, state, ConcernFlow.summary, draft, settings)


async def on_place(message: Message, state: FSMContext, bot: Bot, settings: Settings) -> None:
    draft = await load_draft(state)
    draft.place = clean_place(message.text or "")
    await advance(bot, message.chat.id, state, ConcernFlow.place, draft, settings)


async def on_photo(message: Message, state: FSMContext, bot: Bot, settings: Settings) -> None:
    draft = await load_draft(state)
    # Telegram sends several sizes of one photo, the largest last.
    draft.photo_file_id = message.photo[-1].file_id if message.photo else None
    await advance(bot, message.chat.id, state, ConcernFlow.photo, draft, settings)


async def on_skip(
    query: CallbackQuery,
    callback_data: ConcernSkip,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    step = {Skip.place: ConcernFlow.place, Skip.photo: ConcernFlow.photo}.get(callback_data.step)
    if step is None or await state.get_state() != step.state:
        raise StaleButton()
    draft = await load_draft(state)
    if step == ConcernFlow.place:
        draft.place = None
    else:
        draft.photo_file_id = None
    await query.answer()
    await advance(bot, query.from_user.id, state, step, draft, settings)


def register(router: Router) -> None:
    router.callback_query.register(on_mandate, ConcernMandate.filter(), ConcernFlow.mandate)
    router.callback_query.register(on_category, ConcernCategory.filter(), ConcernFlow.category)
    skippable = StateFilter(ConcernFlow.place, ConcernFlow.photo)
    router.callback_query.register(on_skip, ConcernSkip.filter(), skippable)
    router.message.register(on_summary, ConcernFlow.summary, TYPED, flags=STEP)
    router.message.register(on_place, ConcernFlow.place, TYPED, flags=STEP)
    router.message.register(on_photo, ConcernFlow.photo, F.photo, flags=STEP)
