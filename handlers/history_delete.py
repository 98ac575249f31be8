"""Deleting one's own entry from /my: a card naming it, whose buttons work once; the entry is
soft-deleted and audited (services.activities.history.delete_own_activity)."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, new_card, spend_card
from handlers.history_keyboards import DeleteCallback, DeleteConfirmCallback, delete_keyboard
from handlers.history_render import headline
from services.activities.history import activity_types_by_id, delete_own_activity, own_entry
from services.actors import Actor
from services.clock import utcnow
from services.errors import NotFound


async def on_delete(
    query: CallbackQuery,
    callback_data: DeleteCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    state: FSMContext,
) -> None:
    activity_id = callback_data.activity_id
    view = await own_entry(session=session, person_id=own_person_id(actor), activity_id=activity_id)
    types = await activity_types_by_id(session=session)
    markup = await new_card(
        state, lambda card: delete_keyboard(activity_id, card), slot=Slot.history
    )
    text = "\n".join(
        [
            "<b>" + _("Delete this entry?") + "</b>",
            headline(view.activity, types, actor.locale),
            _("It will no longer show in your history or count for your points."),
        ]
    )
    await query.answer()
    await bot.send_message(query.from_user.id, text, reply_markup=markup)


async def on_delete_confirmed(
    query: CallbackQuery,
    callback_data: DeleteConfirmCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    state: FSMContext,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.history)
    if not callback_data.confirmed:
        await bot.send_message(query.from_user.id, _("Cancelled; nothing was changed."))
        return
    activity = await delete_own_activity(
        session=session,
        person_id=own_person_id(actor),
        activity_id=callback_data.activity_id,
        actor_telegram_id=actor.telegram_id,
        now=utcnow(),
    )
    types = await activity_types_by_id(session=session)
    text = _("Deleted: {entry}").format(entry=headline(activity, types, actor.locale))
    await bot.send_message(query.from_user.id, text)


def own_person_id(actor: Actor) -> int:
    """The actor's roster entry: /my and its buttons are for representatives, who have one."""
    if actor.person_id is None:
        raise NotFound()
    return actor.person_id
