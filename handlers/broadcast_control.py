"""The progress message's buttons: pause, resume, and cancel after a confirmation card. Each
press checks that the presser may control that broadcast (services.broadcasts.access)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.broadcast_render import BroadcastControl
from handlers.cards import Slot, new_card, spend_card
from services.actors import Actor
from services.broadcasts.access import Action, control_broadcast, open_broadcast
from services.broadcasts.progress import broadcast_progress
from services.clock import utcnow
from services.people import ROW_ID_MAX


class BroadcastCancelCard(CallbackData, prefix="bccok"):
    broadcast: int = Field(ge=1, le=ROW_ID_MAX)
    card: int = Field(ge=1, le=ROW_ID_MAX)
    confirmed: bool


async def on_control(
    query: CallbackQuery,
    callback_data: BroadcastControl,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    broadcast_id = callback_data.broadcast
    if callback_data.action is Action.cancel:
        await _ask_to_cancel(query, broadcast_id, session, actor, state, bot)
        return
    await control_broadcast(
        session=session,
        actor=actor,
        broadcast_id=broadcast_id,
        action=callback_data.action,
        now=utcnow(),
    )
    done = _("Paused.") if callback_data.action is Action.pause else _("Resumed.")
    await query.answer(done + " " + _("The progress message will show it shortly."))


async def _ask_to_cancel(
    query: CallbackQuery,
    broadcast_id: int,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    broadcast = await open_broadcast(session=session, actor=actor, broadcast_id=broadcast_id)
    view = await broadcast_progress(session=session, broadcast=broadcast, now=utcnow())
    text = _(
        "Cancel broadcast #{id}? The {left} messages not yet sent will not be sent; "
        "those already sent stay."
    ).format(id=broadcast_id, left=view.progress.left)

    def build(card: int) -> InlineKeyboardMarkup:
        choices = ((_("Yes, cancel it"), True), (_("Keep sending"), False))
        row = [
            InlineKeyboardButton(
                text=label,
                callback_data=BroadcastCancelCard(
                    broadcast=broadcast_id, card=card, confirmed=confirmed
                ).pack(),
            )
            for label, confirmed in choices
        ]
        return InlineKeyboardMarkup(inline_keyboard=[row])

    await query.answer()
    await bot.send_message(
        query.from_user.id, text, reply_markup=await new_card(state, build, slot=Slot.broadcast)
    )


async def on_cancel_confirmed(
    query: CallbackQuery,
    callback_data: BroadcastCancelCard,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.broadcast)
    if not callback_data.confirmed:
        await bot.send_message(query.from_user.id, _("Kept; the broadcast goes on."))
        return
    await control_broadcast(
        session=session,
        actor=actor,
        broadcast_id=callback_data.broadcast,
        action=Action.cancel,
        now=utcnow(),
    )
    text = _("Broadcast #{id} is cancelled. The final report follows.")
    await bot.send_message(query.from_user.id, text.format(id=callback_data.broadcast))


def register(router: Router) -> None:
    router.callback_query.register(on_control, BroadcastControl.filter())
    router.callback_query.register(on_cancel_confirmed, BroadcastCancelCard.filter())
