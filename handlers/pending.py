"""/pending: people in the staff member's delegations not linked yet, a page at a time."""

from __future__ import annotations

from datetime import datetime

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.invitations.pending import STATE_LABELS, PendingPerson, pending_people
from services.text import esc

# 25 lines of at most 150 characters, plus the heading, stay well inside Telegram's 4,096.
PAGE_SIZE = 25
LINE_LIMIT = 150


class PendingCallback(CallbackData, prefix="pend"):
    page: int = Field(ge=0, le=99_999)


async def cmd_pending(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    text, keyboard = await _page(0, session, actor, settings)
    await message.answer(text, reply_markup=keyboard)


async def on_pending_page(
    query: CallbackQuery,
    callback_data: PendingCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    text, keyboard = await _page(callback_data.page, session, actor, settings)
    await query.answer()
    if query.message is not None:
        await bot.edit_message_text(
            text=text,
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            reply_markup=keyboard,
        )


async def _page(
    page: int, session: AsyncSession, actor: Actor, settings: Settings
) -> tuple[str, InlineKeyboardMarkup | None]:
    people = await pending_people(session=session, scope=actor.scope, now=utcnow())
    if not people:
        return _("Everyone in your delegations has linked their Telegram account."), None
    pages = (len(people) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(page, pages - 1)
    shown = people[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    heading = _("Not linked yet: {count} (page {page} of {pages})").format(
        count=len(people), page=page + 1, pages=pages
    )
    lines = [f"<b>{heading}</b>", *(_line(person, settings) for person in shown)]
    return "\n".join(lines), _pager(page, pages)


def _line(person: PendingPerson, settings: Settings) -> str:
    def day(value: datetime | None) -> str:
        return value.astimezone(settings.tz).date().isoformat() if value else ""

    state = _(STATE_LABELS[person.state]).format(
        sent=day(person.sent_at), expires=day(person.expires_at)
    )
    who = " · ".join(
        [person.name, _(", ").join(person.delegations)] if person.delegations else [person.name]
    )
    # Cut before escaping, so that an entity is never cut in half.
    return "• " + esc(who[: LINE_LIMIT - len(state) - 5]) + " — " + state


def _pager(page: int, pages: int) -> InlineKeyboardMarkup | None:
    if pages <= 1:
        return None
    builder = InlineKeyboardBuilder()
    if page > 0:
        builder.button(text=_("◀ Previous"), callback_data=PendingCallback(page=page - 1))
    if page < pages - 1:
        builder.button(text=_("Next ▶"), callback_data=PendingCallback(page=page + 1))
    return builder.as_markup()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_pending, Command("pending"))
    router.callback_query.register(on_pending_page, PendingCallback.filter())
    return router
