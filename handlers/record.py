"""/record [name] [year]: the duty record (履职档案) as a spreadsheet and a printable PDF.

A representative gets their own; staff name anyone within their delegations, choosing on a card
when a name fits several people.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cancel import cancel_button
from handlers.cards import new_card, spend_card
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.invitations import PersonMatch
from services.people import ROW_ID_MAX
from services.record import (
    RecordTarget,
    build_documents,
    find_in_scope,
    own_record,
    parse_request,
    staff_target,
)
from services.record.access import EARLIEST_YEAR
from services.text import esc


class RecordCallback(CallbackData, prefix="rec"):
    # Bounded like the columns, so a forged value is an expired button, not a database error.
    person_id: int = Field(ge=1, le=ROW_ID_MAX)
    year: int = Field(ge=EARLIEST_YEAR, le=9999)
    card: int = Field(ge=1, le=ROW_ID_MAX)


async def cmd_record(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
    state: FSMContext,
) -> None:
    request = parse_request(command.args, today=local_today(utcnow(), settings.tz))
    target = own_record(actor, request)
    if target is None:
        matches = await find_in_scope(session=session, actor=actor, name=request.name)
        exact = [match for match in matches if match.exact]
        if len(exact) != 1:
            question = _("Several people match. Whom do you mean?")
            if not exact:
                question = _("No one is called exactly that. Whom do you mean?")
            markup = await new_card(state, lambda card: _choices(matches, request.year, card))
            await message.answer(question, reply_markup=markup)
            return
        target = await staff_target(
            session=session, actor=actor, person_id=exact[0].person_id, year=request.year
        )
    await _send(target, message.chat.id, session, actor, bot, settings)


async def on_record_chosen(
    query: CallbackQuery,
    callback_data: RecordCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
    state: FSMContext,
) -> None:
    await spend_card(state, callback_data.card, query, bot)
    target = await staff_target(
        session=session, actor=actor, person_id=callback_data.person_id, year=callback_data.year
    )
    await _send(target, query.from_user.id, session, actor, bot, settings)


async def _send(
    target: RecordTarget,
    chat_id: int,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    files = await build_documents(
        session=session, target=target, locale=actor.locale, tz=settings.tz
    )
    name, year = esc(files.record.name), files.record.year
    await bot.send_document(
        chat_id,
        BufferedInputFile(files.xlsx, filename=f"{files.stem}.xlsx"),
        caption=_("Duty record of {name} for {year}: spreadsheet").format(name=name, year=year),
    )
    await bot.send_document(
        chat_id,
        BufferedInputFile(files.pdf, filename=f"{files.stem}.pdf"),
        caption=_("Duty record of {name} for {year}: printable PDF").format(name=name, year=year),
    )


def _choices(matches: list[PersonMatch], year: int, card: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for match in matches:
        parts = [match.name, _(", ").join(match.delegations)] if match.delegations else [match.name]
        builder.button(
            text=" · ".join(parts)[:60],
            callback_data=RecordCallback(person_id=match.person_id, year=year, card=card),
        )
    builder.adjust(1)
    builder.row(cancel_button())
    return builder.as_markup()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_record, Command("record"))
    router.callback_query.register(on_record_chosen, RecordCallback.filter())
    return router
