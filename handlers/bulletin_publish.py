"""/publish, for staff: send an issue file (text, Markdown or DOCX) or paste its text, see it as
representatives will, correct its year, number or title line, then choose the audience
(handlers.bulletin_publish_send) and confirm.

The issue is stored as a draft as soon as it is read, so the preview opens like the issue
itself; nobody but staff sees a draft.
"""

from __future__ import annotations

import asyncio
import io
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import bulletin_publish_send
from handlers.bulletin_publish_keyboards import (
    ISSUE,
    SOURCE,
    Press,
    PreviewPress,
    PublishFlow,
    drafts_keyboard,
    replace_keyboard,
)
from handlers.bulletin_publish_preview import on_fix, on_value, show_preview
from services.actors import Actor
from services.bulletins.files import MAX_FILE_BYTES, IssueFile, read_issue_file
from services.bulletins.importing import OriginalFile
from services.bulletins.publish import DraftExists, draft, drafts, stage_issue
from services.clock import utcnow
from services.errors import BadInput, StaleButton
from services.i18n_marks import N_

PASTED_NAME = "message.txt"
STEP = {"action": "bulletin_publish_step"}


async def cmd_publish(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext
) -> None:
    await state.clear()
    await state.set_state(PublishFlow.file)
    text = _(
        "Send the bulletin issue as a file (text, Markdown or DOCX), or paste its text here. "
        "You will see it as representatives will before anything is sent. /cancel stops."
    )
    stored = await drafts(session=session, actor=actor)
    if stored:
        text += "\n\n" + _("Or publish a draft stored already:")
    await message.answer(text, reply_markup=drafts_keyboard(stored))


async def on_open_draft(
    query: CallbackQuery,
    callback_data: PreviewPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    view = await draft(session=session, actor=actor, issue_id=callback_data.issue)
    await state.set_state(PublishFlow.preview)
    await state.set_data({ISSUE: callback_data.issue})
    await query.answer()
    await show_preview(
        bot, query.from_user.id, session, actor, callback_data.issue, with_file=view.issue.file_id
    )


async def on_document(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot
) -> None:
    document = message.document
    assert document is not None  # noqa: S101 - the filter guarantees it
    name = document.file_name or "issue"
    if (document.file_size or 0) > MAX_FILE_BYTES:
        raise BadInput(
            N_("The file {filename} is larger than {limit} MB; an issue is far smaller."),
            filename=name,
            limit=MAX_FILE_BYTES // (1024 * 1024),
        )
    source = {"file_id": document.file_id, "name": name}
    await _stage(bot, message.chat.id, session, actor, state, source, replace=False)


async def on_text(
    message: Message, session: AsyncSession, actor: Actor, state: FSMContext, bot: Bot
) -> None:
    source = {"text": message.text or ""}
    await _stage(bot, message.chat.id, session, actor, state, source, replace=False)


async def on_replace(
    query: CallbackQuery,
    callback_data: PreviewPress,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    bot: Bot,
) -> None:
    source = (await state.get_data()).get(SOURCE)
    if not source or callback_data.issue != 0:
        raise StaleButton()
    await query.answer()
    await _stage(bot, query.from_user.id, session, actor, state, source, replace=True)


async def _stage(
    bot: Bot,
    chat_id: int,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    source: dict[str, Any],
    *,
    replace: bool,
) -> None:
    read = await _read(bot, source)
    file_id = source.get("file_id")
    original = OriginalFile(name=source.get("name"), kind=read.kind.value, file_id=file_id)
    try:
        issue = await stage_issue(
            session=session,
            actor=actor,
            parsed=read.issue,
            original=original,
            replace=replace,
            now=utcnow(),
        )
    except DraftExists as exists:
        await state.update_data({SOURCE: source})
        text = _(exists.message).format(**exists.params) + "\n" + _("Replace that draft?")
        await bot.send_message(chat_id, text, reply_markup=replace_keyboard())
        return
    await state.set_state(PublishFlow.preview)
    await state.set_data({ISSUE: issue.id})
    await show_preview(bot, chat_id, session, actor, issue.id or 0, with_file=file_id)


async def _read(bot: Bot, source: dict[str, Any]) -> IssueFile:
    if "text" in source:
        data, name = str(source["text"]).encode("utf-8"), PASTED_NAME
    else:
        buffer = io.BytesIO()
        await bot.download(str(source["file_id"]), destination=buffer)
        data, name = buffer.getvalue(), str(source["name"])
    # Parsing a DOCX takes a while: off the event loop.
    return await asyncio.to_thread(read_issue_file, data, name)


async def on_other(message: Message, state: FSMContext) -> None:
    if await state.get_state() == PublishFlow.value.state:
        raise BadInput(N_("Type the value as text, or send /cancel."))
    raise BadInput(N_("Send the issue as a file (text, Markdown or DOCX) or as text, or /cancel."))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_publish, Command("publish"))
    document, typed = F.document, F.text & ~F.text.startswith("/")
    router.message.register(on_document, PublishFlow.file, document, flags=STEP)
    router.message.register(on_text, PublishFlow.file, typed, flags=STEP)
    router.callback_query.register(on_replace, PreviewPress.filter(F.press == Press.replace_draft))
    router.callback_query.register(on_open_draft, PreviewPress.filter(F.press == Press.open_draft))
    fixes = (Press.fix_year, Press.fix_number, Press.fix_title)
    router.callback_query.register(on_fix, PreviewPress.filter(F.press.in_(fixes)))
    router.message.register(on_value, PublishFlow.value, typed, flags=STEP)
    router.message.register(on_other, PublishFlow.file, flags=STEP)
    router.message.register(on_other, PublishFlow.value, flags=STEP)
    bulletin_publish_send.register(router)
    return router
