"""/assemble's order card: move a piece up or down, rewrite it (the staff member sends its new
text), leave it out, and the editor's note."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.bulletin_assembly_keyboards import (
    IN_DIALOG,
    AssemblyFlow,
    AssemblyPress,
    Dialog,
    Press,
    load,
    note_keyboard,
    order_keyboard,
    pick_keyboard,
    save,
)
from handlers.bulletin_assembly_render import edit_prompt, note_prompt, order_text, pick_text
from handlers.history_render import edit_in_place
from services.actors import Actor
from services.bulletins.assembly import Piece, candidate_page, pieces
from services.bulletins.assembly_issue import NothingPicked
from services.bulletins.assembly_text import editors_note, rewritten
from services.errors import BadInput, StaleButton
from services.i18n_marks import N_

STEP = {"action": "bulletin_assembly_step"}
TYPED = F.text & ~F.text.startswith("/")


async def current(session: AsyncSession, actor: Actor, dialog: Dialog) -> list[Piece]:
    """The dialog's pieces still available (checked against the scope on every use); the picked
    list loses any that are not, e.g. published meanwhile in another issue."""
    found = await pieces(session=session, actor=actor, picked=dialog.picked, edits=dialog.edits)
    dialog.picked = [piece.activity_id for piece in found]
    if not found:
        raise NothingPicked()
    return found


def _index(found: list[Piece], activity_id: int) -> int:
    for index, piece in enumerate(found):
        if piece.activity_id == activity_id:
            return index
    raise StaleButton()


async def on_press(
    query: CallbackQuery,
    callback_data: AssemblyPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    dialog = await load(state)
    found = await current(session, actor, dialog)
    press = callback_data.press
    if press != Press.order:
        index = _index(found, callback_data.item)
        if press == Press.remove:
            dialog.picked.pop(index)
            dialog.edits.pop(callback_data.item, None)
        else:
            other = index - 1 if press == Press.up else index + 1
            if 0 <= other < len(found):
                picked = dialog.picked
                picked[index], picked[other] = picked[other], picked[index]
        if not dialog.picked:
            await show_page(query, session, actor, state, bot, dialog)
            return
        found = await current(session, actor, dialog)
    await state.set_state(AssemblyFlow.order)
    await save(state, dialog)
    await edit_in_place(bot, query, order_text(found, dialog.note), order_keyboard(found))


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


async def on_edit(
    query: CallbackQuery,
    callback_data: AssemblyPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    dialog = await load(state)
    found = await current(session, actor, dialog)
    index = _index(found, callback_data.item)
    dialog.editing = callback_data.item
    await state.set_state(AssemblyFlow.edit)
    await save(state, dialog)
    await query.answer()
    for part in edit_prompt(index + 1, found[index]):
        await bot.send_message(query.from_user.id, part)


async def on_piece_text(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext
) -> None:
    dialog = await load(state)
    found = await current(session, actor, dialog)
    piece = found[_index(found, dialog.editing)]
    dialog.edits[piece.activity_id] = rewritten(piece, message.text or "")
    await _back_to_order(message, session, actor, state, dialog)


async def on_note(query: CallbackQuery, state: FSMContext, bot: Bot) -> None:
    dialog = await load(state)
    await state.set_state(AssemblyFlow.note)
    await query.answer()
    await bot.send_message(
        query.from_user.id, note_prompt(dialog.note), reply_markup=note_keyboard()
    )


async def on_note_text(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext
) -> None:
    dialog = await load(state)
    dialog.note = editors_note(message.text or "")
    await _back_to_order(message, session, actor, state, dialog)


async def on_no_note(
    query: CallbackQuery, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot
) -> None:
    dialog = await load(state)
    dialog.note = ""
    found = await current(session, actor, dialog)
    await state.set_state(AssemblyFlow.order)
    await save(state, dialog)
    await edit_in_place(bot, query, order_text(found, dialog.note), order_keyboard(found))


async def on_other(message: Message) -> None:
    raise BadInput(N_("Send the text as a message, or /cancel to stop assembling the issue."))


async def _back_to_order(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, dialog: Dialog
) -> None:
    found = await current(session, actor, dialog)
    dialog.editing = 0
    await state.set_state(AssemblyFlow.order)
    await save(state, dialog)
    await message.answer(order_text(found, dialog.note), reply_markup=order_keyboard(found))


def register(router: Router) -> None:
    moves = (Press.order, Press.up, Press.down, Press.remove)
    router.callback_query.register(on_press, IN_DIALOG, AssemblyPress.filter(F.press.in_(moves)))
    router.callback_query.register(on_edit, IN_DIALOG, AssemblyPress.filter(F.press == Press.edit))
    router.callback_query.register(on_note, IN_DIALOG, AssemblyPress.filter(F.press == Press.note))
    router.callback_query.register(
        on_no_note, IN_DIALOG, AssemblyPress.filter(F.press == Press.no_note)
    )
    router.message.register(on_piece_text, AssemblyFlow.edit, TYPED, flags=STEP)
    router.message.register(on_note_text, AssemblyFlow.note, TYPED, flags=STEP)
    router.message.register(on_other, AssemblyFlow.edit, flags=STEP)
    router.message.register(on_other, AssemblyFlow.note, flags=STEP)
