"""/assemble's order card: move a piece up or down, rewrite it (the staff member sends its new
text), leave it out, and the editor's note."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.bulletin_assembly_keyboards import (
    IN_DIALOG,
    AssemblyFlow,
    AssemblyPress,
    Press,
    load,
    note_keyboard,
    save,
)
from handlers.bulletin_assembly_render import edit_prompt, note_prompt
from handlers.bulletin_assembly_screens import current, index_of, show_order, show_page
from services.actors import Actor
from services.bulletins.assembly_text import editors_note, rewritten
from services.errors import BadInput
from services.i18n_marks import N_

STEP = {"action": "bulletin_assembly_step"}
TYPED = F.text & ~F.text.startswith("/")


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
    press, picked = callback_data.press, dialog.picked
    if press != Press.order:
        index = index_of(found, callback_data.item)
        if press == Press.remove:
            picked.pop(index)
            dialog.edits.pop(callback_data.item, None)
        else:
            other = index - 1 if press == Press.up else index + 1
            if 0 <= other < len(picked):
                picked[index], picked[other] = picked[other], picked[index]
    if not picked:
        await show_page(query, session, actor, state, bot, dialog)
        return
    await show_order(query, session, actor, state, bot, dialog)


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
    index = index_of(found, callback_data.item)
    dialog.editing = callback_data.item
    await state.set_state(AssemblyFlow.edit)
    await save(state, dialog)
    await query.answer()
    for part in edit_prompt(index + 1, found[index]):
        await bot.send_message(query.from_user.id, part)


async def on_piece_text(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot
) -> None:
    dialog = await load(state)
    found = await current(session, actor, dialog)
    piece = found[index_of(found, dialog.editing)]
    dialog.edits[piece.activity_id] = rewritten(piece, message.text or "")
    await show_order(message, session, actor, state, bot, dialog)


async def on_note(query: CallbackQuery, state: FSMContext, bot: Bot) -> None:
    dialog = await load(state)
    await state.set_state(AssemblyFlow.note)
    await query.answer()
    prompt = note_prompt(dialog.note)
    await bot.send_message(query.from_user.id, prompt, reply_markup=note_keyboard())


async def on_note_text(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot
) -> None:
    dialog = await load(state)
    dialog.note = editors_note(message.text or "")
    await show_order(message, session, actor, state, bot, dialog)


async def on_no_note(
    query: CallbackQuery, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot
) -> None:
    dialog = await load(state)
    dialog.note = ""
    await show_order(query, session, actor, state, bot, dialog)


async def on_other(message: Message) -> None:
    raise BadInput(N_("Send the text as a message, or /cancel to stop assembling the issue."))


def pressed(*presses: Press) -> CallbackQueryFilter:
    return AssemblyPress.filter(F.press.in_(presses))


def register(router: Router) -> None:
    moves = (Press.order, Press.up, Press.down, Press.remove)
    router.callback_query.register(on_press, IN_DIALOG, pressed(*moves))
    router.callback_query.register(on_edit, IN_DIALOG, pressed(Press.edit))
    router.callback_query.register(on_note, IN_DIALOG, pressed(Press.note))
    router.callback_query.register(on_no_note, IN_DIALOG, pressed(Press.no_note))
    router.message.register(on_piece_text, AssemblyFlow.edit, TYPED, flags=STEP)
    router.message.register(on_note_text, AssemblyFlow.note, TYPED, flags=STEP)
    router.message.register(on_other, AssemblyFlow.edit, flags=STEP)
    router.message.register(on_other, AssemblyFlow.note, flags=STEP)
