"""/record [name] [year]: the duty record (履职档案) as a spreadsheet and a printable PDF.

A representative gets their own; staff name anyone within their delegations, choosing on a card
when a name fits several people.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, spend_card
from handlers.person_choice import named_person
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.people import ROW_ID_MAX
from services.record import (
    RecordTarget,
    build_documents,
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
        person_id = await named_person(
            message,
            request.name,
            session=session,
            actor=actor,
            state=state,
            button=lambda match, card: RecordCallback(
                person_id=match.person_id, year=request.year, card=card
            ),
            cancel=True,
        )
        if person_id is None:
            return
        target = await staff_target(
            session=session, actor=actor, person_id=person_id, year=request.year
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
    await spend_card(state, callback_data.card, query, bot, slot=Slot.staff)
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
        session=session, target=target, locale=actor.locale, translate=_, tz=settings.tz
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


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_record, Command("record"))
    router.callback_query.register(on_record_chosen, RecordCallback.filter())
    return router
