"""/bulletins and /search: reading the bulletin (《代表工作》) in the chat.

The archive lists published issues newest first; an issue opens as a card with a button per
article, 已阅 and the original file; an article opens in parts under 4,096 characters with the
previous and next articles. Who may open what is decided by services.bulletins.access.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import bulletin_readers
from handlers.bulletin_readers import readers_line, with_readers
from handlers.bulletins_keyboards import (
    IssuesPage,
    MarkRead,
    OpenArticle,
    OpenIssue,
    OriginalFile,
    article_keyboard,
    hits_keyboard,
    issue_keyboard,
    issues_keyboard,
)
from handlers.bulletins_render import article_parts, issue_card, issues_text, search_text
from handlers.history_render import edit_in_place
from services.actors import Actor
from services.bulletins.archive import open_article, open_issue, published_page, readable_issue
from services.bulletins.errors import NoOriginalFile
from services.bulletins.reads import mark_read
from services.bulletins.search import search
from services.bulletins.stats import read_count
from services.clock import utcnow


async def cmd_bulletins(message: Message, session: AsyncSession, actor: Actor) -> None:
    listing = await published_page(session=session, actor=actor, page=0)
    markup = issues_keyboard(listing) if listing.total else None
    await message.answer(issues_text(listing, actor.locale), reply_markup=markup)


async def on_page(
    query: CallbackQuery, callback_data: IssuesPage, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    listing = await published_page(session=session, actor=actor, page=callback_data.page)
    markup = issues_keyboard(listing) if listing.total else None
    await edit_in_place(bot, query, issues_text(listing, actor.locale), markup)


async def on_issue(
    query: CallbackQuery, callback_data: OpenIssue, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    view = await open_issue(session=session, actor=actor, issue_id=callback_data.issue_id)
    parts, markup = issue_card(view, actor.locale), issue_keyboard(view)
    if actor.is_staff:
        count = await read_count(session=session, actor=actor, issue_id=callback_data.issue_id)
        parts = issue_card(view, actor.locale, footer=readers_line(count))
        markup = with_readers(markup, count)
    await query.answer()
    await _send(bot, query.from_user.id, parts, markup)


async def on_article(
    query: CallbackQuery, callback_data: OpenArticle, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    view = await open_article(session=session, actor=actor, article_id=callback_data.article_id)
    await query.answer()
    await _send(bot, query.from_user.id, article_parts(view), article_keyboard(view))


async def on_read(
    query: CallbackQuery, callback_data: MarkRead, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    recorded = await mark_read(
        session=session, actor=actor, issue_id=callback_data.issue_id, now=utcnow()
    )
    if not recorded:
        await query.answer(_("Your read receipt for this issue was recorded already."))
        return
    await query.answer(_("Recorded as read. Thank you."))
    if query.message is not None:
        view = await open_issue(session=session, actor=actor, issue_id=callback_data.issue_id)
        await bot.edit_message_reply_markup(
            chat_id=query.message.chat.id,
            message_id=query.message.message_id,
            reply_markup=issue_keyboard(view),
        )


async def on_file(
    query: CallbackQuery, callback_data: OriginalFile, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    issue = await readable_issue(session=session, actor=actor, issue_id=callback_data.issue_id)
    if not issue.file_id:
        raise NoOriginalFile()
    await query.answer()
    await bot.send_document(query.from_user.id, issue.file_id)


async def cmd_search(
    message: Message, command: CommandObject, session: AsyncSession, actor: Actor
) -> None:
    query = command.args or ""
    result = await search(session=session, actor=actor, query=query)
    await message.answer(search_text(query, result), reply_markup=hits_keyboard(result))


async def _send(bot: Bot, chat_id: int, parts: list[str], markup: InlineKeyboardMarkup) -> None:
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await bot.send_message(chat_id, part, reply_markup=markup if last else None)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_bulletins, Command("bulletins"))
    router.message.register(cmd_search, Command("search"))
    router.callback_query.register(on_page, IssuesPage.filter())
    router.callback_query.register(on_issue, OpenIssue.filter())
    router.callback_query.register(on_article, OpenArticle.filter())
    router.callback_query.register(on_read, MarkRead.filter())
    router.callback_query.register(on_file, OriginalFile.filter())
    bulletin_readers.register(router)
    return router
