"""/my: one's own duty activities, newest first, a page at a time, filtered by quarter and type;
an entry opens with Edit and Delete (soft, audited, confirmed on a card that works once)."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.history_delete import on_delete, on_delete_confirmed, own_person_id
from handlers.history_keyboards import (
    DeleteCallback,
    DeleteConfirmCallback,
    EntryCallback,
    HistoryCallback,
    ListView,
    entries_keyboard,
    entry_keyboard,
    quarters_keyboard,
    types_keyboard,
)
from handlers.history_render import (
    edit_in_place,
    entry_card,
    entry_lines,
    page_line,
    send_entry,
    type_name,
)
from services.activities.history import (
    HistoryFilter,
    activity_types_by_id,
    own_entry,
    own_history,
    points_period,
    quarters_to_offer,
)
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import format_quarter, local_today
from services.text import esc


async def cmd_my(message: Message, session: AsyncSession, actor: Actor, settings: Settings) -> None:
    text, markup = await _list(session, actor, settings, HistoryFilter(), 0)
    await message.answer(text, reply_markup=markup)


async def on_history(
    query: CallbackQuery,
    callback_data: HistoryCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    filters = callback_data.filters()
    text, markup = await _list(session, actor, settings, filters, callback_data.page)
    if callback_data.view is ListView.quarters:
        today = local_today(utcnow(), settings.tz)
        quarters = await quarters_to_offer(
            session=session, person_id=own_person_id(actor), today=today
        )
        markup = quarters_keyboard(filters, quarters, actor.locale)
    elif callback_data.view is ListView.types:
        types = await activity_types_by_id(session=session)
        names = [(i, type_name(kind, actor.locale)) for i, kind in types.items() if kind.active]
        markup = types_keyboard(filters, names)
    await edit_in_place(bot, query, text, markup)


async def on_entry(
    query: CallbackQuery,
    callback_data: EntryCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
) -> None:
    view = await own_entry(
        session=session, person_id=own_person_id(actor), activity_id=callback_data.activity_id
    )
    back = HistoryCallback(
        year=callback_data.year,
        quarter=callback_data.quarter,
        type_id=callback_data.type_id,
        page=callback_data.page,
    )
    markup = entry_keyboard(callback_data.activity_id, back)
    await query.answer()
    parts = entry_card(view, actor.locale)
    await send_entry(bot, query.from_user.id, parts, markup, view.attachments)


async def _list(
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    filters: HistoryFilter,
    page: int,
) -> tuple[str, InlineKeyboardMarkup | None]:
    today = local_today(utcnow(), settings.tz)
    listing = await own_history(
        session=session, person_id=own_person_id(actor), filters=filters, page=page, today=today
    )
    unfiltered = filters == HistoryFilter()
    if listing.total == 0 and unfiltered:
        return _("No activities recorded yet. Send /log to record one."), None
    types = await activity_types_by_id(session=session)
    quarter = format_quarter(*points_period(filters, today), actor.locale)
    heading = _("{quarter} points: {points}").format(quarter=quarter, points=listing.points)
    lines = [f"<b>{heading}</b>"]
    if not unfiltered:
        shown = [quarter] if filters.period else [_("All quarters")]
        if filters.type_id is not None:
            shown.append(esc(type_name(types.get(filters.type_id), actor.locale)))
        lines.append(_("Showing: {filter}").format(filter=" · ".join(shown)))
    if listing.total == 0:
        lines.append(_("Nothing matches this filter."))
    else:
        lines += [page_line(listing), "", *entry_lines(listing, types, actor.locale)]
    return "\n".join(lines), entries_keyboard(listing, filters)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_my, Command("my"))
    router.callback_query.register(on_history, HistoryCallback.filter())
    router.callback_query.register(on_entry, EntryCallback.filter())
    # Deleting, on its card (handlers.history_delete).
    router.callback_query.register(on_delete, DeleteCallback.filter())
    router.callback_query.register(on_delete_confirmed, DeleteConfirmCallback.filter())
    return router
