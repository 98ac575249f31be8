"""A concern's card: what it is, its timeline, and the buttons its reader may use."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_keyboards import ConcernErase, ConcernMove, ConcernOpen, ConcernPhoto, rows
from handlers.concerns_render import card_text, state_text
from services.actors import Actor
from services.clock import utcnow
from services.concerns.transitions import next_states
from services.concerns.viewing import ConcernView, view_concern
from services.config import Settings
from services.text import split_text


def _buttons(view: ConcernView) -> InlineKeyboardMarkup | None:
    concern = view.row.concern
    assert concern.id is not None  # noqa: S101 - a stored concern
    buttons: list[InlineKeyboardButton] = []
    if view.is_owner:
        # Only the changes the table allows; a forged one is refused by the service.
        buttons += [
            InlineKeyboardButton(
                text=_("Mark {state}").format(state=state_text(target)),
                callback_data=ConcernMove(concern=concern.id, to=target).pack(),
            )
            for target in next_states(concern.state)
        ]
    if concern.photo_file_id:
        data = ConcernPhoto(concern=concern.id).pack()
        buttons.append(InlineKeyboardButton(text=_("Show photo"), callback_data=data))
    has_contact = concern.constituent_name is not None or concern.constituent_phone is not None
    if view.in_scope and has_contact:
        buttons.append(
            InlineKeyboardButton(
                text=_("Erase contact"), callback_data=ConcernErase(concern=concern.id).pack()
            )
        )
    return InlineKeyboardMarkup(inline_keyboard=rows(*buttons)) if buttons else None


async def send_card(
    bot: Bot, chat_id: int, session: AsyncSession, actor: Actor, settings: Settings, concern_id: int
) -> None:
    view = await view_concern(session=session, concern_id=concern_id, actor=actor)
    text = card_text(view, now=utcnow(), tz=settings.tz, locale=actor.locale)
    parts = split_text(text)
    for part in parts[:-1]:
        await bot.send_message(chat_id, part)
    await bot.send_message(chat_id, parts[-1], reply_markup=_buttons(view))


async def on_open(
    query: CallbackQuery,
    callback_data: ConcernOpen,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    await send_card(bot, query.from_user.id, session, actor, settings, callback_data.concern)
    await query.answer()


async def on_photo(
    query: CallbackQuery,
    callback_data: ConcernPhoto,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
) -> None:
    view = await view_concern(session=session, concern_id=callback_data.concern, actor=actor)
    await query.answer()
    if view.row.concern.photo_file_id:
        await bot.send_photo(query.from_user.id, view.row.concern.photo_file_id)


def register(router: Router) -> None:
    router.callback_query.register(on_open, ConcernOpen.filter())
    router.callback_query.register(on_photo, ConcernPhoto.filter())
