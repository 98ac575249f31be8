"""/assemble's last step: the issue is staged as a bulletin draft, sent as Markdown and DOCX, and
opened in /publish's preview, where the staff member chooses the audience and confirms."""

from __future__ import annotations

import asyncio

from aiogram import Bot, F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.bulletin_assembly_keyboards import (
    IN_DIALOG,
    AssemblyPress,
    Press,
    load,
    replace_keyboard,
)
from handlers.bulletin_assembly_screens import current
from handlers.bulletin_publish_keyboards import ISSUE, PublishFlow
from handlers.bulletin_publish_preview import show_preview
from services.actors import Actor
from services.bulletins.assembly_export import to_docx, to_markdown
from services.bulletins.assembly_issue import build_issue, file_stem, stage_assembled
from services.bulletins.model import ParsedIssue
from services.bulletins.publish import DraftExists
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today


async def on_draft(
    query: CallbackQuery,
    callback_data: AssemblyPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
    settings: Settings,
) -> None:
    dialog = await load(state)
    found = await current(session, actor, dialog)
    now = utcnow()
    issue = await build_issue(
        session=session,
        actor=actor,
        pieces=found,
        note=dialog.note,
        today=local_today(now, settings.tz),
        issuing_body=settings.bulletin_issuing_body,
    )
    chat = query.from_user.id
    try:
        stored = await stage_assembled(
            session=session,
            actor=actor,
            issue=issue,
            pieces=found,
            replace=callback_data.press == Press.replace_draft,
            now=now,
        )
    except DraftExists as exists:
        await query.answer()
        text = _(exists.message).format(**exists.params)
        text += "\n" + _("Replace that draft with the issue assembled now?")
        await bot.send_message(chat, text, reply_markup=replace_keyboard())
        return
    await query.answer()
    if query.message is not None:
        await bot.edit_message_reply_markup(
            chat_id=query.message.chat.id, message_id=query.message.message_id, reply_markup=None
        )
    issue_id = stored.id or 0
    await _send_files(bot, chat, issue)
    await state.set_state(PublishFlow.preview)
    await state.set_data({ISSUE: issue_id})
    await show_preview(bot, chat, session, actor, issue_id)


async def _send_files(bot: Bot, chat: int, issue: ParsedIssue) -> None:
    markdown, docx = await asyncio.to_thread(_files, issue)
    stem = file_stem(issue)
    caption = _("Issue {number} of {year}, to print or correct.").format(
        number=issue.number, year=issue.year
    )
    await bot.send_document(chat, BufferedInputFile(markdown, f"{stem}.md"))
    await bot.send_document(chat, BufferedInputFile(docx, f"{stem}.docx"), caption=caption)


def _files(issue: ParsedIssue) -> tuple[bytes, bytes]:
    return to_markdown(issue).encode("utf-8"), to_docx(issue)


def register(router: Router) -> None:
    drafts = (Press.draft, Press.replace_draft)
    router.callback_query.register(on_draft, IN_DIALOG, AssemblyPress.filter(F.press.in_(drafts)))
