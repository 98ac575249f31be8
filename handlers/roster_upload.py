"""Staff send the roster file to the bot: a preview of what would change, then confirm."""

from __future__ import annotations

import io
from enum import IntEnum

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.errors import BadInput, StaleButton
from services.i18n_marks import N_
from services.permissions import Role
from services.roster import RosterParseResult, parse_roster_file
from services.roster.export import report_csv
from services.roster.importer import ImportReport, import_roster
from services.roster.limits import MAX_FILE_BYTES, megabytes
from services.roster.report import clip, report_text
from services.text import esc

ROSTER_SUFFIXES = (".csv", ".xlsx", ".xlsm")
# A file name is echoed in titles; cut, it leaves the rest of the message its room.
NAME_WIDTH = 100
REPORT_FILE = "roster-report.csv"


class RosterChoice(IntEnum):
    import_all = 1
    import_good = 2
    cancel = 3


class RosterCallback(CallbackData, prefix="roster"):
    choice: RosterChoice
    # The id of the message that brought the file: an older preview's buttons are stale.
    upload: int


class RosterUpload(StatesGroup):
    confirm = State()


async def on_roster_file(
    message: Message, session: AsyncSession, actor: Actor, bot: Bot, state: FSMContext
) -> None:
    document = message.document
    assert document is not None  # noqa: S101 - the filter guarantees it
    name = document.file_name or ""
    if not name.lower().endswith(ROSTER_SUFFIXES):
        raise BadInput(N_("Send the roster as a .csv or .xlsx file."))
    # Refused before downloading; the size Telegram states is checked again on the bytes.
    if (document.file_size or 0) > MAX_FILE_BYTES:
        raise BadInput(
            N_("The file is larger than {limit} MB; split the roster into smaller files."),
            limit=megabytes(MAX_FILE_BYTES),
        )
    parsed = await _download(bot, document.file_id, name)
    report = await _import(parsed, session, actor, dry_run=True, skip_bad=False)
    title = _("Preview of {file} — nothing is saved yet.").format(file=_file(name))
    keyboard = _confirm_keyboard(report, upload=message.message_id)
    if keyboard is not None:
        await state.set_state(RosterUpload.confirm)
        upload = {"file_id": document.file_id, "file_name": name, "upload": message.message_id}
        await state.set_data(upload)
    await _answer(bot, message.chat.id, title, report, keyboard)


async def on_roster_choice(
    query: CallbackQuery,
    callback_data: RosterCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    state: FSMContext,
) -> None:
    upload = await state.get_data()
    if "file_id" not in upload or upload.get("upload") != callback_data.upload:
        raise StaleButton()
    await query.answer()
    # Download and parse before the first write, so no database lock waits on Telegram.
    parsed = None
    if callback_data.choice is not RosterChoice.cancel:
        parsed = await _download(bot, upload["file_id"], upload["file_name"])
    await state.clear()
    if parsed is None:
        await bot.send_message(query.from_user.id, _("Cancelled; the roster was not changed."))
        return
    skip_bad = callback_data.choice is RosterChoice.import_good
    report = await _import(parsed, session, actor, dry_run=False, skip_bad=skip_bad)
    title = _("Imported {file}.").format(file=_file(upload["file_name"]))
    if not report.applied:
        title = _("{file} was not imported.").format(file=_file(upload["file_name"]))
    await _answer(bot, query.from_user.id, title, report)


async def _download(bot: Bot, file_id: str, name: str) -> RosterParseResult:
    buffer = io.BytesIO()
    await bot.download(file_id, destination=buffer)
    return await parse_roster_file(buffer.getvalue(), name)


async def _import(
    parsed: RosterParseResult, session: AsyncSession, actor: Actor, *, dry_run: bool, skip_bad: bool
) -> ImportReport:
    return await import_roster(
        session=session,
        parsed=parsed,
        scope=actor.scope,
        admin=Role.admin in actor.roles,
        actor_telegram_id=actor.telegram_id,
        dry_run=dry_run,
        skip_bad=skip_bad,
    )


def _confirm_keyboard(report: ImportReport, *, upload: int) -> InlineKeyboardMarkup | None:
    changes = report.created + report.updated
    if changes == 0:
        return None
    builder = InlineKeyboardBuilder()
    if report.errors:
        builder.button(
            text=_("Import the good rows"),
            callback_data=RosterCallback(choice=RosterChoice.import_good, upload=upload),
        )
    else:
        builder.button(
            text=_("Import"),
            callback_data=RosterCallback(choice=RosterChoice.import_all, upload=upload),
        )
    cancel = RosterCallback(choice=RosterChoice.cancel, upload=upload)
    builder.button(text=_("Cancel"), callback_data=cancel)
    return builder.as_markup()


def _file(name: str) -> str:
    return esc(clip(name, NAME_WIDTH))


async def _answer(
    bot: Bot,
    chat_id: int,
    title: str,
    report: ImportReport,
    keyboard: InlineKeyboardMarkup | None = None,
) -> None:
    """One message, however long the report: what does not fit comes as a CSV file first, so
    that the message with the buttons stays the last in the chat."""
    text = report_text(report, escape=esc)
    lines = [title, *text.lines]
    if not text.complete:
        document = BufferedInputFile(report_csv(report), filename=REPORT_FILE)
        await bot.send_document(chat_id, document)
        lines.append(_("The whole list is in the file {file} above.").format(file=REPORT_FILE))
    # Bounded by report_text in the characters Telegram counts (after parsing the escapes).
    await bot.send_message(chat_id, "\n".join(lines), reply_markup=keyboard)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(on_roster_file, F.document, flags={"action": "roster_file"})
    router.callback_query.register(on_roster_choice, RosterCallback.filter(), RosterUpload.confirm)
    return router
