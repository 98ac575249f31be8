"""/cancel and every flow's Cancel button: the dialog in progress ends, nothing is saved."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.i18n import gettext as _


class CancelCallback(CallbackData, prefix="cancel"):
    pass


def cancel_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(text=_("Cancel"), callback_data=CancelCallback().pack())


async def _end(state: FSMContext) -> bool:
    """Ends the dialog; True when one was in progress."""
    running = await state.get_state() is not None
    await state.clear()
    return running


async def cmd_cancel(message: Message, state: FSMContext) -> None:
    if await _end(state):
        await message.answer(_("Cancelled. Nothing was saved."))
    else:
        await message.answer(_("There is nothing to cancel."))


async def on_cancel(query: CallbackQuery, state: FSMContext, bot: Bot) -> None:
    running = await _end(state)
    await query.answer()
    if query.message is not None:
        # The card's buttons go, so that an old card cannot be pressed again.
        await bot.edit_message_reply_markup(
            chat_id=query.message.chat.id, message_id=query.message.message_id, reply_markup=None
        )
        text = _("Cancelled. Nothing was saved.") if running else _("There is nothing to cancel.")
        await bot.send_message(query.message.chat.id, text)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_cancel, Command("cancel"))
    router.callback_query.register(on_cancel, CancelCallback.filter())
    return router
