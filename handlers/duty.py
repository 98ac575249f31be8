"""/duty: staff open a station in their scope, see its month (who is on duty which day) and
swap two people's duty, both told; a representative sees their own coming duties.

Every press reads the station again through its scope check, so a forged station or duty id
answers as not found; the swap's confirmation carries the first duty's day, so a second press
(or an old card) after the swap changes nothing.
"""

from __future__ import annotations

from datetime import date

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.duty_location import DutyLocation
from handlers.duty_location import build_router as location_router
from handlers.duty_render import duty_lines, month_text, swap_card
from handlers.history_render import edit_in_place
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import format_date, local_today
from services.duty.access import duty_in_station, station_in_scope, stations_in_scope
from services.duty.roster import coming_duties, month_of, rotate_month, swap_duties
from services.errors import StaleButton
from services.people import ROW_ID_MAX
from services.text import esc

PAGE = 20
DAY_MIN, DAY_MAX = date(2000, 1, 1).toordinal(), date(2100, 1, 1).toordinal()


class DutyStations(CallbackData, prefix="dsl"):
    page: int = Field(ge=0, le=1000)


class DutyMonth(CallbackData, prefix="dst"):
    station_id: int = Field(ge=1, le=ROW_ID_MAX)
    year: int = Field(ge=2000, le=2099)
    month: int = Field(ge=1, le=12)


class DutySwap(CallbackData, prefix="dsw"):
    station_id: int = Field(ge=1, le=ROW_ID_MAX)
    year: int = Field(ge=2000, le=2099)
    month: int = Field(ge=1, le=12)
    first: int = Field(default=0, ge=0, le=ROW_ID_MAX)
    second: int = Field(default=0, ge=0, le=ROW_ID_MAX)
    # The first duty's day when the card was shown (an ordinal); 0 until both are chosen.
    day: int = Field(default=0, ge=0, le=DAY_MAX)


class DutyRotate(CallbackData, prefix="dro"):
    station_id: int = Field(ge=1, le=ROW_ID_MAX)
    year: int = Field(ge=2000, le=2099)
    month: int = Field(ge=1, le=12)
    go: bool = False


def _button(text: str, data: CallbackData) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=text, callback_data=data.pack())]


async def cmd_duty(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    if actor.is_staff:
        text, markup = await _stations(session, actor, settings, 0)
        await message.answer(text, reply_markup=markup)
        return
    today = local_today(utcnow(), settings.tz)
    duties = await coming_duties(session=session, person_id=actor.person_id or 0, today=today)
    if not duties:
        await message.answer(_("You have no duty at a station in the coming weeks."))
        return
    await message.answer(
        "\n".join([_("<b>Your coming duties</b>"), *duty_lines(duties, actor.locale)])
    )


async def _stations(
    session: AsyncSession, actor: Actor, settings: Settings, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    stations = await stations_in_scope(session=session, scope=actor.scope)
    if not stations:
        return _("There is no liaison station in your delegations."), None
    today = local_today(utcnow(), settings.tz)
    shown = stations[page * PAGE : (page + 1) * PAGE]
    rows = [
        _button(s.name, DutyMonth(station_id=s.id or 0, year=today.year, month=today.month))
        for s in shown
    ]
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(text="‹", callback_data=DutyStations(page=page - 1).pack()))
    if len(stations) > (page + 1) * PAGE:
        nav.append(InlineKeyboardButton(text="›", callback_data=DutyStations(page=page + 1).pack()))
    if nav:
        rows.append(nav)
    return _("Choose a station:"), InlineKeyboardMarkup(inline_keyboard=rows)


async def on_stations_page(
    query: CallbackQuery,
    callback_data: DutyStations,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    text, markup = await _stations(session, actor, settings, callback_data.page)
    await edit_in_place(bot, query, text, markup)


async def on_month(
    query: CallbackQuery, callback_data: DutyMonth, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    data = callback_data
    station = await station_in_scope(session=session, scope=actor.scope, station_id=data.station_id)
    days = await month_of(session=session, station=station, year=data.year, month=data.month)
    before = (data.year, data.month - 1) if data.month > 1 else (data.year - 1, 12)
    after = (data.year, data.month + 1) if data.month < 12 else (data.year + 1, 1)
    nav = [
        InlineKeyboardButton(
            text=label.format(f"{y}-{m:02d}"),
            callback_data=DutyMonth(station_id=data.station_id, year=y, month=m).pack(),
        )
        for label, (y, m) in (("‹ {}", before), ("{} ›", after))
        if 2000 <= y <= 2099
    ]
    rows = [nav]
    if any(item.people for item in days):
        swap = DutySwap(station_id=data.station_id, year=data.year, month=data.month)
        rows.append(_button(_("Swap two duties"), swap))
    if any(item.reception and not item.people for item in days):
        fill = DutyRotate(station_id=data.station_id, year=data.year, month=data.month)
        rows.append(_button(_("Fill the free days by rotation"), fill))
    rows.append(
        _button(_("📍 Share the station's location"), DutyLocation(station_id=data.station_id))
    )
    text = month_text(station.name, data.year, data.month, days, actor.locale)
    await edit_in_place(bot, query, text, InlineKeyboardMarkup(inline_keyboard=rows))


async def on_swap(
    query: CallbackQuery,
    callback_data: DutySwap,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    data = callback_data
    station = await station_in_scope(session=session, scope=actor.scope, station_id=data.station_id)
    today = local_today(utcnow(), settings.tz)
    if data.first and data.second and data.day:
        first = await duty_in_station(session=session, station=station, duty_id=data.first)
        await duty_in_station(session=session, station=station, duty_id=data.second)
        if first.day.toordinal() != data.day:
            raise StaleButton()
        await swap_duties(
            session=session, first_id=data.first, second_id=data.second, today=today, now=utcnow()
        )
        await edit_in_place(bot, query, _("Swapped. Both representatives have been told."), None)
        return
    days = await month_of(session=session, station=station, year=data.year, month=data.month)
    choices = [
        (duty, name)
        for item in days
        for duty, name in item.people
        if duty.day >= today and duty.id != data.first
    ]
    if data.first and data.second:
        first = await duty_in_station(session=session, station=station, duty_id=data.first)
        second = await duty_in_station(session=session, station=station, duty_id=data.second)
        names = {duty.id: name for item in days for duty, name in item.people}
        ok = DutySwap(**{**data.model_dump(), "day": first.day.toordinal()})
        back = DutyMonth(station_id=data.station_id, year=data.year, month=data.month)
        rows = [_button(_("Swap them"), ok), _button(_("Back"), back)]
        text = swap_card(
            first, names.get(first.id, "?"), second, names.get(second.id, "?"), actor.locale
        )
        await edit_in_place(bot, query, text, InlineKeyboardMarkup(inline_keyboard=rows))
        return
    if not choices:
        await query.answer(_("No coming duty to swap in this month."), show_alert=True)
        return
    field = "second" if data.first else "first"
    rows = [
        _button(f"{duty.day.isoformat()} {name}", DutySwap(**{**data.model_dump(), field: duty.id}))
        for duty, name in choices[:PAGE]
    ]
    question = _("Choose the duty to swap it with:") if data.first else _("Choose the first duty:")
    await edit_in_place(bot, query, question, InlineKeyboardMarkup(inline_keyboard=rows))


async def on_rotate(
    query: CallbackQuery,
    callback_data: DutyRotate,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    data = callback_data
    station = await station_in_scope(session=session, scope=actor.scope, station_id=data.station_id)
    today = local_today(utcnow(), settings.tz)
    planned = await rotate_month(
        session=session,
        station=station,
        year=data.year,
        month=data.month,
        today=today,
        dry_run=not data.go,
    )
    back = DutyMonth(station_id=data.station_id, year=data.year, month=data.month)
    if not planned:
        await edit_in_place(bot, query, _("No free reception day left in this month."), None)
        return
    lines = [
        _("{day}: {who}").format(day=format_date(duty.day, actor.locale), who=esc(name))
        for duty, name in planned
    ]
    if data.go:
        head = _("Planned {count} duties.").format(count=len(planned))
        rows = [_button(_("Back"), back)]
    else:
        head = _("<b>Fill these days by rotation?</b>")
        ok = DutyRotate(station_id=data.station_id, year=data.year, month=data.month, go=True)
        rows = [_button(_("Confirm"), ok), _button(_("Back"), back)]
    text = "\n".join([head, *lines])
    await edit_in_place(bot, query, text, InlineKeyboardMarkup(inline_keyboard=rows))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_duty, Command("duty"))
    router.callback_query.register(on_stations_page, DutyStations.filter())
    router.callback_query.register(on_month, DutyMonth.filter())
    router.callback_query.register(on_swap, DutySwap.filter())
    router.callback_query.register(on_rotate, DutyRotate.filter())
    router.include_router(location_router())
    return router
