"""For staff, under an issue's card: how many of its audience in their scope have read it, the
list of those who have not (paged, names escaped), and a reminder to them."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.bulletins_keyboards import PAGE_MAX, issue_label
from handlers.history_render import edit_in_place
from services.actors import Actor
from services.bulletins.stats import ReadCount, read_count, remind_unread
from services.clock import utcnow
from services.people import ROW_ID_MAX
from services.text import esc

NAMES_PER_PAGE = 30


class Unread(CallbackData, prefix="bunr"):
    issue_id: int = Field(ge=1, le=ROW_ID_MAX)
    page: int = Field(default=0, ge=0, le=PAGE_MAX)
    # A page turned edits the list in place; the card's button sends it anew.
    turn: bool = False


class Remind(CallbackData, prefix="brem"):
    issue_id: int = Field(ge=1, le=ROW_ID_MAX)


def readers_line(count: ReadCount) -> str:
    return _("Read by {read} of {total} in your scope.").format(read=count.read, total=count.total)


def reader_rows(count: ReadCount) -> list[list[InlineKeyboardButton]]:
    if not count.unread:
        return []
    issue_id = count.issue.id or 0
    unread = _("Unread ({count})").format(count=len(count.unread))
    return [
        [
            InlineKeyboardButton(text=unread, callback_data=Unread(issue_id=issue_id).pack()),
            InlineKeyboardButton(
                text=_("Remind the unread"), callback_data=Remind(issue_id=issue_id).pack()
            ),
        ]
    ]


def with_readers(markup: InlineKeyboardMarkup, count: ReadCount) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[*reader_rows(count), *markup.inline_keyboard])


def unread_text(count: ReadCount, page: int) -> tuple[str, int, int]:
    pages = max(1, -(-len(count.unread) // NAMES_PER_PAGE))
    page = min(page, pages - 1)
    issue = issue_label(count.issue.year, count.issue.number)
    lines = [
        "<b>" + _("Not yet read {issue}").format(issue=issue) + "</b>",
        readers_line(count),
    ]
    if pages > 1:
        lines.append(_("Page {page} of {pages}").format(page=page + 1, pages=pages))
    lines.append("")
    start = page * NAMES_PER_PAGE
    shown = count.unread[start : start + NAMES_PER_PAGE]
    lines += [f"{n}. {esc(member.name)}" for n, member in enumerate(shown, start + 1)]
    if not count.unread:
        lines.append(_("Everyone has read it."))
    return "\n".join(lines), page, pages


def unread_keyboard(count: ReadCount, page: int, pages: int) -> InlineKeyboardMarkup:
    issue_id = count.issue.id or 0
    turn = []
    if page > 0:
        data = Unread(issue_id=issue_id, page=page - 1, turn=True).pack()
        turn.append(InlineKeyboardButton(text="‹", callback_data=data))
    if page < pages - 1:
        data = Unread(issue_id=issue_id, page=page + 1, turn=True).pack()
        turn.append(InlineKeyboardButton(text="›", callback_data=data))
    rows = [turn] if turn else []
    if count.unread:
        remind = Remind(issue_id=issue_id).pack()
        rows.append([InlineKeyboardButton(text=_("Remind the unread"), callback_data=remind)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def on_unread(
    query: CallbackQuery, callback_data: Unread, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    count = await read_count(session=session, actor=actor, issue_id=callback_data.issue_id)
    text, page, pages = unread_text(count, callback_data.page)
    markup = unread_keyboard(count, page, pages)
    if callback_data.turn:
        await edit_in_place(bot, query, text, markup)
        return
    await query.answer()
    await bot.send_message(query.from_user.id, text, reply_markup=markup)


async def on_remind(
    query: CallbackQuery, callback_data: Remind, session: AsyncSession, actor: Actor
) -> None:
    reminded = await remind_unread(
        session=session, actor=actor, issue_id=callback_data.issue_id, now=utcnow()
    )
    await query.answer(
        _("A reminder is on its way to {count} people who have not read it.").format(
            count=reminded.count
        ),
        show_alert=True,
    )


def register(router: Router) -> None:
    router.callback_query.register(on_unread, Unread.filter())
    router.callback_query.register(on_remind, Remind.filter())
