"""/assemble's two cards, the checklist page and the order card, drawn from the dialog's data
after checking its pieces against the scope again."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.bulletin_assembly_keyboards import (
    AssemblyFlow,
    Dialog,
    order_keyboard,
    pick_keyboard,
    save,
)
from handlers.bulletin_assembly_render import order_text, pick_text
from handlers.history_render import edit_in_place
from services.actors import Actor
from services.bulletins.assembly import Piece, candidate_page, pieces
from services.bulletins.assembly_issue import NothingPicked
from services.errors import StaleButton


async def current(session: AsyncSession, actor: Actor, dialog: Dialog) -> list[Piece]:
    """The dialog's pieces still available (checked against the scope on every use); the picked
    list loses any that are not, e.g. published meanwhile in another issue."""
    found = await pieces(session=session, actor=actor, picked=dialog.picked, edits=dialog.edits)
    dialog.picked = [piece.activity_id for piece in found]
    if not found:
        raise NothingPicked()
    return found


def index_of(found: list[Piece], activity_id: int) -> int:
    """Where the button's piece is; a piece not in the dialog is a stale or forged button."""
    for index, piece in enumerate(found):
        if piece.activity_id == activity_id:
            return index
    raise StaleButton()


async def show_page(
    query: CallbackQuery,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    dialog: Dialog,
) -> None:
    """The checklist page the dialog is on, in place of the card pressed."""
    page = await candidate_page(session=session, actor=actor, page=dialog.page)
    dialog.page = page.page
    await state.set_state(AssemblyFlow.pick)
    await save(state, dialog)
    text = pick_text(page, dialog.picked, actor.locale)
    await edit_in_place(bot, query, text, pick_keyboard(page, dialog.picked))


async def show_order(
    target: CallbackQuery | Message,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    dialog: Dialog,
) -> None:
    """The order card: in place of the card pressed, or as a new message after typed text."""
    found = await current(session, actor, dialog)
    dialog.editing = 0
    await state.set_state(AssemblyFlow.order)
    await save(state, dialog)
    text, markup = order_text(found, dialog.note), order_keyboard(found)
    if isinstance(target, CallbackQuery):
        await edit_in_place(bot, target, text, markup)
    else:
        await target.answer(text, reply_markup=markup)
