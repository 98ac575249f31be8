"""The confirm card of a new concern: change a field, or save it (once)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, spend_card
from handlers.concerns_card import send_card
from handlers.concerns_keyboards import ConcernEdit, ConcernSave, EditField
from handlers.concerns_steps import EDITING, ConcernFlow, ask, drop_draft, load_draft
from services.actors import Actor
from services.clock import utcnow
from services.concerns.flow import save_concern
from services.config import Settings
from services.errors import NotFound

EDIT_STEPS = {
    EditField.category: ConcernFlow.category,
    EditField.summary: ConcernFlow.summary,
    EditField.place: ConcernFlow.place,
    EditField.photo: ConcernFlow.photo,
    EditField.contact: ConcernFlow.consent,
}


async def on_edit(
    query: CallbackQuery,
    callback_data: ConcernEdit,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.concern)
    await state.update_data({EDITING: True})
    await ask(bot, query.from_user.id, state, EDIT_STEPS[callback_data.field], settings)


async def on_save(
    query: CallbackQuery,
    callback_data: ConcernSave,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.concern)
    if actor.person_id is None:
        raise NotFound()
    draft = await load_draft(state)
    concern = await save_concern(
        session=session,
        person_id=actor.person_id,
        draft=draft,
        actor_telegram_id=actor.telegram_id,
        now=utcnow(),
    )
    await state.set_state(None)
    await drop_draft(state)
    assert concern.id is not None  # noqa: S101 - saved
    await bot.send_message(
        query.from_user.id,
        _("Concern #{id} is saved. Follow it up from its card or with /concerns.").format(
            id=concern.id
        ),
    )
    await send_card(bot, query.from_user.id, session, actor, settings, concern.id)


def register(router: Router) -> None:
    router.callback_query.register(on_edit, ConcernEdit.filter(), ConcernFlow.confirm)
    router.callback_query.register(on_save, ConcernSave.filter(), ConcernFlow.confirm)
