"""Buttons that work once: each card (a list of choices, a confirmation) gets a number, kept in
the chat's dialog data with the buttons it was shown with; a press of one of those buttons
spends it. A button made up with the live number but another person, action or choice is not
one of them: it is an expired button, so a forged press can never skip the card.

Each feature keeps its cards in a slot of its own (Slot): a new card expires the earlier card of
its own slot only, so a quick-entry offer, a /log draft's card and a staff card open side by
side all keep working.

The dialog data is saved in the update's own transaction, so a spent number and the work it
allowed are committed together; a user's presses are handled one at a time, so a quick double
tap cannot spend one number twice.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from enum import StrEnum

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup

from services.errors import StaleButton
from services.invitations import ButtonUsed
from services.people import ROW_ID_MAX


class Slot(StrEnum):
    staff = "staff"  # staff cards: choices of a person, confirmations, merges, concern follow-up
    log = "log"  # the /log draft's card and the question of continuing it or starting anew
    offer = "offer"  # the offer to log free text as an activity
    concern = "concern"  # the confirm card of a new concern, and the question of continuing it
    history = "history"  # deleting an entry of one's own from /my
    broadcast = "broadcast"  # a broadcast's preview card, and the card confirming its cancel


def _keys(slot: Slot) -> tuple[str, str, str]:
    """The live number, the last spent one, and the live card's buttons. (The staff slot's are
    the names of the one slot there was before, so staff cards open at an upgrade still work.)"""
    return f"{slot}_card", f"{slot}_card_spent", f"{slot}_card_buttons"


async def new_card(
    state: FSMContext, build: Callable[[int], InlineKeyboardMarkup], *, slot: Slot
) -> InlineKeyboardMarkup:
    """The buttons of the next card, built around its number; the slot's earlier card expires."""
    live, _spent, buttons = _keys(slot)
    number = secrets.randbelow(ROW_ID_MAX) + 1
    markup = build(number)
    shown = [button.callback_data for row in markup.inline_keyboard for button in row]
    await state.update_data({live: number, buttons: shown})
    return markup


async def expire_card(state: FSMContext, *, slot: Slot) -> None:
    """The slot's live card expires (its dialog was dropped), if there is one."""
    live, _spent, buttons = _keys(slot)
    await state.update_data({live: None, buttons: None})


async def spend_card(
    state: FSMContext, number: int, query: CallbackQuery, bot: Bot, *, slot: Slot
) -> None:
    """Spends the card's number and takes its buttons off, or raises ButtonUsed / StaleButton."""
    live, spent, buttons = _keys(slot)
    data = await state.get_data()
    if data.get(live) != number:
        raise ButtonUsed() if data.get(spent) == number else StaleButton()
    if query.data not in data.get(buttons, ()):
        raise StaleButton()
    await state.update_data({live: None, spent: number, buttons: None})
    await query.answer()
    message = query.message
    if message is not None:
        await bot.edit_message_reply_markup(
            chat_id=message.chat.id, message_id=message.message_id, reply_markup=None
        )
