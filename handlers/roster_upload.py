"""Staff send the roster file to the bot: a preview of what would change, then confirm."""

from __future__ import annotations

import io
from enum import IntEnum

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from bot.actors import Actor
from bot.errors import BadInput, StaleButton
from bot.i18n_marks import N_
from bot.roster import parse_roster
from bot.roster.importer import ImportReport, import_roster, render_report
from bot.text import esc, split_text

router = Router(name=__name__)

ROSTER_SUFFIXES = (".csv", ".xlsx", ".xlsm")
# Telegram lets bots download files up to 20 MB.
MAX_BYTES = 20 * 1024 * 1024


class RosterChoice(IntEnum):
    import_all = 1
    import_good = 2
    cancel = 3


class RosterCallback(CallbackData, prefix="roster"):
    choice: RosterChoice


class RosterUpload(StatesGroup):
    confirm = State()


@router.message(F.document, flags={"action": "roster_file"})
async def on_roster_file(
    message: Message, session: AsyncSession, actor: Actor, bot: Bot, state: FSMContext
) -> None:
    document = message.document
    assert document is not None  # noqa: S101 - the filter guarantees it
    name = document.file_name or ""
    if not name.lower().endswith(ROSTER_SUFFIXES):
        raise BadInput(N_("Send the roster as a .csv or .xlsx file."))
    if (document.file_size or 0) > MAX_BYTES:
        raise BadInput(
            N_("The file is larger than {limit} MB; split the roster into smaller files."), limit=20
        )
    report = await _import(
        bot, document.file_id, name, session, actor, dry_run=True, skip_bad=False
    )
    title = _("Preview of {file} — nothing is saved yet.").format(file=esc(name))
    keyboard = _confirm_keyboard(report)
    if keyboard is not None:
        await state.set_state(RosterUpload.confirm)
        await state.set_data({"file_id": document.file_id, "file_name": name})
    await _answer(bot, message.chat.id, [title, *render_report(report, escape=esc)], keyboard)


@router.callback_query(RosterCallback.filter(), RosterUpload.confirm)
async def on_roster_choice(
    query: CallbackQuery,
    callback_data: RosterCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    state: FSMContext,
) -> None:
    upload = await state.get_data()
    await state.clear()
    await query.answer()
    if "file_id" not in upload:
        raise StaleButton()
    if callback_data.choice is RosterChoice.cancel:
        await bot.send_message(query.from_user.id, _("Cancelled; the roster was not changed."))
        return
    skip_bad = callback_data.choice is RosterChoice.import_good
    report = await _import(
        bot,
        upload["file_id"],
        upload["file_name"],
        session,
        actor,
        dry_run=False,
        skip_bad=skip_bad,
    )
    title = _("Imported {file}.").format(file=esc(upload["file_name"]))
    if not report.applied:
        title = _("{file} was not imported.").format(file=esc(upload["file_name"]))
    await _answer(bot, query.from_user.id, [title, *render_report(report, escape=esc)])


async def _import(
    bot: Bot,
    file_id: str,
    name: str,
    session: AsyncSession,
    actor: Actor,
    *,
    dry_run: bool,
    skip_bad: bool,
) -> ImportReport:
    buffer = io.BytesIO()
    await bot.download(file_id, destination=buffer)
    parsed = parse_roster(buffer.getvalue(), name)
    return await import_roster(
        session=session,
        parsed=parsed,
        scope=actor.scope,
        actor_telegram_id=actor.telegram_id,
        dry_run=dry_run,
        skip_bad=skip_bad,
    )


def _confirm_keyboard(report: ImportReport) -> InlineKeyboardMarkup | None:
    changes = report.created + report.updated
    if changes == 0:
        return None
    builder = InlineKeyboardBuilder()
    if report.errors:
        builder.button(
            text=_("Import the good rows"),
            callback_data=RosterCallback(choice=RosterChoice.import_good),
        )
    else:
        builder.button(
            text=_("Import"), callback_data=RosterCallback(choice=RosterChoice.import_all)
        )
    builder.button(text=_("Cancel"), callback_data=RosterCallback(choice=RosterChoice.cancel))
    return builder.as_markup()


async def _answer(
    bot: Bot, chat_id: int, lines: list[str], keyboard: InlineKeyboardMarkup | None = None
) -> None:
    parts = split_text("\n".join(lines))
    for index, part in enumerate(parts):
        markup = keyboard if index == len(parts) - 1 else None
        await bot.send_message(chat_id, part, reply_markup=markup)
