"""Buttons that work once: each staff card (a list of choices, a confirmation) gets a number,
kept in the chat's dialog data; a press spends it.

The dialog data is saved in the update's own transaction, so a spent number and the work it
allowed are committed together; a user's presses are handled one at a time, so a quick double
tap cannot spend one number twice.
"""

from __future__ import annotations

import secrets

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery

from services.errors import StaleButton
from services.invitations import ButtonUsed
from services.people import ROW_ID_MAX

LIVE = "staff_card"
SPENT = "staff_card_spent"


async def new_card(state: FSMContext) -> int:
    """A number for the next card; any earlier card's buttons expire."""
    number = secrets.randbelow(ROW_ID_MAX) + 1
    await state.update_data({LIVE: number})
    return number


async def spend_card(state: FSMContext, number: int, query: CallbackQuery, bot: Bot) -> None:
    """Spends the card's number and takes its buttons off, or raises ButtonUsed / StaleButton."""
    data = await state.get_data()
    if data.get(LIVE) != number:
        raise ButtonUsed() if data.get(SPENT) == number else StaleButton()
    await state.update_data({LIVE: None, SPENT: number})
    await query.answer()
    message = query.message
    if message is not None:
        await bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
        )
