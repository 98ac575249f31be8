"""/concerns: a representative's open concerns, oldest first; for staff (and admins) those in
their scope by group, with the XLSX export.

Someone who is both staff and a representative gets the staff view, and their own open
concerns under its "My concerns" button or with `/concerns mine`.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_keyboards import ConcernExport, ConcernList, open_button, pager, rows
from handlers.concerns_render import age_text, category_text, preview, state_text
from services.actors import Actor
from services.clock import utcnow
from services.concerns.listing import age_days, concerns_in_scope, open_concerns_of
from services.config import Settings
from services.permissions import Role
from services.text import esc

MINE_WORDS = frozenset({"mine", "my", "me", "我的"})
Listing = tuple[str, InlineKeyboardMarkup]


async def _mine(session: AsyncSession, actor: Actor, settings: Settings, page: int) -> Listing:
    listed = await open_concerns_of(session=session, person_id=actor.person_id or 0, page=page)
    if not listed.items:
        empty = _("You have no open concerns. Record one with /concern.")
        return empty, InlineKeyboardMarkup(inline_keyboard=[])
    now = utcnow()
    lines = [_("Your open concerns ({count}), oldest first:").format(count=listed.total)]
    for concern in listed.items:
        age = age_text(age_days(concern.created_at, now, settings.tz))
        head = f"#{concern.id} · {esc(category_text(concern.category))} · "
        lines.append(f"{head}{state_text(concern.state)} · {age}\n  {preview(concern.summary)}")
    if listed.pages > 1:
        lines.append(_("Page {page} of {pages}").format(page=listed.page + 1, pages=listed.pages))
    buttons = [open_button(concern.id or 0) for concern in listed.items]
    keyboard = [*rows(*buttons, width=5), pager(listed.page, listed.pages, mine=True)]
    return "\n".join(lines), _markup(keyboard)


async def _staff(session: AsyncSession, actor: Actor, settings: Settings, page: int) -> Listing:
    listed = await concerns_in_scope(session=session, actor=actor, page=page)
    extra = [InlineKeyboardButton(text=_("Export XLSX"), callback_data=ConcernExport().pack())]
    if Role.representative in actor.roles:
        mine = ConcernList(page=0, mine=True).pack()
        extra.append(InlineKeyboardButton(text=_("My concerns"), callback_data=mine))
    if not listed.items:
        return _("No concerns in your scope yet."), InlineKeyboardMarkup(inline_keyboard=[extra])
    now, group = utcnow(), object()
    lines = [
        _("Concerns in your scope ({count}), by group, open ones first:").format(count=listed.total)
    ]
    for row in listed.items:
        if row.group != group:
            group = row.group
            lines.append("<b>" + (esc(row.group) if row.group else _("No group")) + "</b>")
        concern = row.concern
        age = age_text(age_days(concern.created_at, now, settings.tz))
        lines.append(
            f"#{concern.id} · {esc(row.representative)} · {esc(category_text(concern.category))}"
            f" · {state_text(concern.state)} · {age}"
        )
    if listed.pages > 1:
        lines.append(_("Page {page} of {pages}").format(page=listed.page + 1, pages=listed.pages))
    buttons = [open_button(row.concern.id or 0) for row in listed.items]
    keyboard = [*rows(*buttons, width=5), pager(listed.page, listed.pages, mine=False), extra]
    return "\n".join(lines), _markup(keyboard)


def _markup(keyboard: list[list[InlineKeyboardButton]]) -> InlineKeyboardMarkup:
    # A single page has no pager: its row is left out rather than sent empty.
    return InlineKeyboardMarkup(inline_keyboard=[row for row in keyboard if row])


async def _listing(
    session: AsyncSession, actor: Actor, settings: Settings, page: int, *, mine: bool
) -> Listing:
    if actor.is_staff and not mine:
        return await _staff(session, actor, settings, page)
    return await _mine(session, actor, settings, page)


async def cmd_concerns(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
) -> None:
    mine = (command.args or "").strip().casefold() in MINE_WORDS
    text, markup = await _listing(session, actor, settings, 0, mine=mine)
    await message.answer(text, reply_markup=markup)


async def on_page(
    query: CallbackQuery,
    callback_data: ConcernList,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    text, markup = await _listing(
        session, actor, settings, callback_data.page, mine=callback_data.mine
    )
    await query.answer()
    # A new message rather than an edit: "My concerns" from the staff view keeps that view.
    await bot.send_message(query.from_user.id, text, reply_markup=markup)


def register(router: Router) -> None:
    router.message.register(cmd_concerns, Command("concerns"))
    router.callback_query.register(on_page, ConcernList.filter())
