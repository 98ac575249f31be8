"""Buttons that work once: each staff card (a list of choices, a confirmation) gets a number,
kept in the chat's dialog data with the buttons it was shown with; a press of one of those
buttons spends it. A button made up with the live number but another person, action or choice
is not one of them: it is an expired button, so a forged press can never skip the card.

The dialog data is saved in the update's own transaction, so a spent number and the work it
allowed are committed together; a user's presses are handled one at a time, so a quick double
tap cannot spend one number twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from services.errors import StaleButton
from services.invitations import ButtonUsed
from services.people import ROW_ID_MAX

LIVE = "staff_card"
SPENT = "staff_card_spent"
BUTTONS = "staff_card_buttons"


async def new_card(
    state: FSMContext, build: Callable[[int], InlineKeyboardMarkup]
) -> InlineKeyboardMarkup:
    """The buttons of the next card, built around its number; any earlier card's expire."""
    number = secrets.randbelow(ROW_ID_MAX) + 1
    markup = build(number)
    shown = [button.callback_data for row in markup.inline_keyboard for button in row]
    await state.update_data({LIVE: number, BUTTONS: shown})
    return markup


async def spend_card(state: FSMContext, number: int, query: CallbackQuery, bot: Bot) -> None:
    """Spends the card's number and takes its buttons off, or raises ButtonUsed / StaleButton."""
    data = await state.get_data()
    if data.get(LIVE) != number:
        raise ButtonUsed() if data.get(SPENT) == number else StaleButton()
    if query.data not in data.get(BUTTONS, ()):
        raise StaleButton()
    await state.update_data({LIVE: None, SPENT: number, BUTTONS: None})
    await query.answer()
    message = query.message
    if message is not None:
        await bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
        )
