"""/assemble, for staff: pick activities marked for the bulletin in their delegations, order and
rewrite them, add the editor's note (handlers.bulletin_assembly_order), then draft the issue
(handlers.bulletin_assembly_draft), which continues in /publish's preview.

Every press is checked again by services.bulletins.assembly: an activity outside the staff
member's delegations, or one whose issue is published, is refused however the button was made.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import bulletin_assembly_draft, bulletin_assembly_order
from handlers.bulletin_assembly_keyboards import (
    IN_DIALOG,
    AssemblyFlow,
    AssemblyPress,
    Dialog,
    Press,
    load,
    pick_keyboard,
    save,
)
from handlers.bulletin_assembly_render import pick_text
from handlers.bulletin_assembly_screens import show_page
from services.actors import Actor
from services.bulletins.assembly import candidate_page, toggle


async def cmd_assemble(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext
) -> None:
    await state.clear()
    page = await candidate_page(session=session, actor=actor, page=0)
    if not page.total:
        await message.answer(
            _(
                "Nothing is marked for the bulletin in your delegations. Representatives mark "
                "an activity “for the bulletin” when they log it; it is offered here until an "
                "issue holding it is published."
            )
        )
        return
    await state.set_state(AssemblyFlow.pick)
    await save(state, Dialog())
    await message.answer(pick_text(page, [], actor.locale), reply_markup=pick_keyboard(page, []))


async def on_toggle(
    query: CallbackQuery,
    callback_data: AssemblyPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    dialog = await load(state)
    dialog.picked = await toggle(
        session=session, actor=actor, picked=dialog.picked, activity_id=callback_data.item
    )
    dialog.edits.pop(callback_data.item, None)
    await show_page(query, session, actor, state, bot, dialog)


async def on_page(
    query: CallbackQuery,
    callback_data: AssemblyPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    dialog = await load(state)
    # "Pick more" returns to the page the checklist was left on.
    if callback_data.press == Press.page:
        dialog.page = callback_data.item
    await show_page(query, session, actor, state, bot, dialog)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_assemble, Command("assemble"))
    pick = AssemblyPress.filter
    router.callback_query.register(on_toggle, IN_DIALOG, pick(F.press == Press.toggle))
    router.callback_query.register(on_page, IN_DIALOG, pick(F.press == Press.page))
    router.callback_query.register(on_page, IN_DIALOG, pick(F.press == Press.back))
    bulletin_assembly_order.register(router)
    bulletin_assembly_draft.register(router)
    return router
