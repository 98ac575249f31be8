"""The /publish preview: the issue's card as representatives will receive it, the original file,
and the card of what was read (year, number, title) with buttons to correct each."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.bulletin_publish_keyboards import (
    FIX,
    FIX_PROMPTS,
    ISSUE,
    PreviewPress,
    PublishFlow,
    control_keyboard,
    control_text,
    current_issue,
)
from handlers.bulletins_keyboards import issue_keyboard
from handlers.bulletins_render import issue_card
from services.actors import Actor
from services.bulletins.publish import correct, draft


async def show_preview(
    bot: Bot,
    chat_id: int,
    session: AsyncSession,
    actor: Actor,
    issue_id: int,
    *,
    with_file: str | None = None,
) -> None:
    """The card as representatives will receive it, the original file if one came with it,
    then what staff may do about it."""
    view = await draft(session=session, actor=actor, issue_id=issue_id)
    parts = issue_card(view, actor.locale)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(chat_id, part, reply_markup=issue_keyboard(view) if last else None)
    if with_file:
        await bot.send_document(chat_id, with_file)
    markup = control_keyboard(issue_id)
    await bot.send_message(chat_id, control_text(view), reply_markup=markup)


async def on_fix(
    query: CallbackQuery,
    callback_data: PreviewPress,
    state: FSMContext,
    bot: Bot,
) -> None:
    await current_issue(state, callback_data.issue)
    await state.set_state(PublishFlow.value)
    await state.update_data({FIX: callback_data.press.value})
    await query.answer()
    await bot.send_message(query.from_user.id, _(FIX_PROMPTS[callback_data.press]))


async def on_value(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot
) -> None:
    data = await state.get_data()
    issue_id, field = int(data.get(ISSUE) or 0), str(data.get(FIX) or "")
    await correct(
        session=session, actor=actor, issue_id=issue_id, field=field, value=message.text or ""
    )
    await state.set_state(PublishFlow.preview)
    await show_preview(bot, message.chat.id, session, actor, issue_id)
