"""/concern and the button under a saved reception: a concern's dialog begins, unless an
activity or a concern with answers is open, which is asked about first (handlers.dialogs)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import dialogs
from handlers.concerns_keyboards import ConcernFromReception
from handlers.log_steps import Flow
from services.actors import Actor
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
    await dialogs.start(flow, dialogs.Wanted(kind="concern"))


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
    wanted = dialogs.Wanted(kind="concern", activity_id=callback_data.activity_id)
    await dialogs.start(flow, wanted)
    await query.answer()


def register(router: Router) -> None:
    router.message.register(cmd_concern, Command("concern"))
    router.callback_query.register(on_from_reception, ConcernFromReception.filter())
