"""Staff: /activities <name> [year], a person's activities of a year within the staff member's
delegations, deleted entries included and marked; entries open read-only.

A name is resolved as /invite resolves it (services.invitations.find_people): a whole name in
scope is shown at once, a part of one or several namesakes offer choices, and anyone outside the
scope gets the same answer as no one at all.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, spend_card
from handlers.history_keyboards import PAGE_MAX, YEAR_MAX, list_rows
from handlers.history_render import edit_in_place, entry_card, entry_lines, page_line, send_entry
from handlers.person_choice import named_person
from services.activities.history import activity_types_by_id
from services.activities.history_staff import staff_entry, staff_history
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import format_date, format_year, local_today, normalize
from services.errors import BadInput
from services.i18n_marks import N_
from services.people import ROW_ID_MAX, get_person
from services.text import esc

YEAR_MIN = 1950
USAGE = N_("Send /activities, the name and, if not this year, the year: /activities 王建国 2024")


class StaffPersonCallback(CallbackData, prefix="sact"):
    person_id: int = Field(ge=1, le=ROW_ID_MAX)
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    card: int = Field(ge=1, le=ROW_ID_MAX)


class StaffPageCallback(CallbackData, prefix="sactp"):
    person_id: int = Field(ge=1, le=ROW_ID_MAX)
    year: int = Field(ge=YEAR_MIN, le=YEAR_MAX)
    page: int = Field(ge=0, le=PAGE_MAX)


class StaffEntryCallback(CallbackData, prefix="sacte"):
    activity_id: int = Field(ge=1, le=ROW_ID_MAX)
    page: int = Field(ge=0, le=PAGE_MAX)


async def cmd_activities(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    state: FSMContext,
) -> None:
    name, year = _arguments(command.args, local_today(utcnow(), settings.tz).year)
    person_id = await named_person(
        message,
        name,
        session=session,
        actor=actor,
        state=state,
        button=lambda match, card: StaffPersonCallback(
            person_id=match.person_id, year=year, card=card
        ),
    )
    if person_id is not None:
        text, markup = await _page(session, actor, person_id, year, 0)
        await message.answer(text, reply_markup=markup)


async def on_person_chosen(
    query: CallbackQuery,
    callback_data: StaffPersonCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    state: FSMContext,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.staff)
    text, markup = await _page(session, actor, callback_data.person_id, callback_data.year, 0)
    await bot.send_message(query.from_user.id, text, reply_markup=markup)


async def on_page(
    query: CallbackQuery,
    callback_data: StaffPageCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
) -> None:
    data = callback_data
    text, markup = await _page(session, actor, data.person_id, data.year, data.page)
    await edit_in_place(bot, query, text, markup)


async def on_entry(
    query: CallbackQuery,
    callback_data: StaffEntryCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    view = await staff_entry(
        session=session, scope=actor.scope, activity_id=callback_data.activity_id
    )
    activity = view.activity
    person = await get_person(session=session, person_id=activity.person_id)
    deleted_on = None
    if activity.deleted_at is not None:
        deleted_on = format_date(activity.deleted_at.astimezone(settings.tz).date(), actor.locale)
    back = StaffPageCallback(
        person_id=activity.person_id, year=activity.happened_on.year, page=callback_data.page
    )
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=_("Back to list"), callback_data=back.pack())]]
    )
    parts = entry_card(
        view, actor.locale, person=person.name if person else None, deleted_on=deleted_on
    )
    await query.answer()
    await send_entry(bot, query.from_user.id, parts, markup, view.attachments)


async def _page(
    session: AsyncSession, actor: Actor, person_id: int, year: int, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    name, listing = await staff_history(
        session=session, person_id=person_id, scope=actor.scope, year=year, page=page
    )
    lines = [f"<b>{esc(name)}</b> · {format_year(year, actor.locale)}"]
    if listing.total == 0:
        lines.append(_("No activities recorded in this year."))
        return "\n".join(lines), None
    types = await activity_types_by_id(session=session)
    lines += [
        _("Points: {points}").format(points=listing.points),
        page_line(listing),
        "",
        *entry_lines(listing, types, actor.locale),
    ]
    rows = list_rows(
        listing,
        lambda activity_id: StaffEntryCallback(activity_id=activity_id, page=listing.page),
        lambda number: StaffPageCallback(person_id=person_id, year=year, page=number),
    )
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


def _arguments(args: str | None, this_year: int) -> tuple[str, int]:
    """The name, and the year given last (full-width digits too) or this year."""
    words = normalize(args or "").split()
    year = this_year
    if len(words) > 1 and words[-1].isdecimal() and len(words[-1]) == 4:
        year = int(words.pop())
    if not words or not YEAR_MIN <= year <= YEAR_MAX:
        raise BadInput(USAGE)
    return " ".join(words), year


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_activities, Command("activities"))
    router.callback_query.register(on_person_chosen, StaffPersonCallback.filter())
    router.callback_query.register(on_page, StaffPageCallback.filter())
    router.callback_query.register(on_entry, StaffEntryCallback.filter())
    return router
