"""/concern, the button under a saved reception and a concern card's buttons that move it on:
their dialog begins, unless an activity or a concern with answers is open, which is asked about
first (handlers.dialogs)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import dialogs
from handlers.concerns_keyboards import ConcernFromReception, ConcernMove
from handlers.concerns_render import refusal_text
from handlers.dialogs_choice import Wanted
from handlers.log_steps import Flow
from services.actors import Actor
from services.concerns.changes import begin_change
from services.concerns.transitions import IllegalTransition
from services.config import Settings


async def cmd_concern(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    flow = Flow(bot, message.chat.id, state, session, actor, settings)
    await dialogs.start(flow, Wanted(kind="concern"))


async def on_from_reception(
    query: CallbackQuery,
    callback_data: ConcernFromReception,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    flow = Flow(bot, query.from_user.id, state, session, actor, settings)
    wanted = Wanted(kind="concern", activity_id=callback_data.activity_id)
    await dialogs.start(flow, wanted)
    await query.answer()


async def on_move(
    query: CallbackQuery,
    callback_data: ConcernMove,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    concern_id, target = callback_data.concern, callback_data.to
    try:
        await begin_change(
            session=session, concern_id=concern_id, person_id=actor.person_id, target=target
        )
    except IllegalTransition as refused:
        # Said at once: nothing would start, so nothing open is asked about.
        await query.answer()
        await bot.send_message(query.from_user.id, refusal_text(refused, concern_id))
        return
    flow = Flow(bot, query.from_user.id, state, session, actor, settings)
    await dialogs.start(flow, Wanted(kind="change", concern_id=concern_id, to=target))
    await query.answer()


def register(router: Router) -> None:
    router.message.register(cmd_concern, Command("concern"))
    router.callback_query.register(on_from_reception, ConcernFromReception.filter())
    router.callback_query.register(on_move, ConcernMove.filter())
