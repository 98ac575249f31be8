"""/report: staff choose a period and a unit within their scope (a group leader: their own
group) and get a short summary, the charts as photos and the tables as an XLSX.

Rules live in services.reports: the period is checked (not in the future) and the unit against
the presser's reach on every press, so a forged or stale button is refused there.
"""

from __future__ import annotations

from datetime import date

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.history_render import edit_in_place
from handlers.report_keyboards import (
    CUSTOM,
    ReportKind,
    ReportPeriod,
    ReportUnit,
    kind_keyboard,
    period_keyboard,
    units_keyboard,
)
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.errors import PermissionDenied
from services.reports import (
    Period,
    UnitKind,
    as_numbers,
    build_report,
    from_numbers,
    last_quarter,
    may_report,
    parse_period,
    reachable_units,
    report_files,
    report_words,
    this_quarter,
    this_year,
)
from services.text import esc, split_text

STEP = {"action": "report_step"}
TYPED = F.text & ~F.text.startswith("/")


class ReportInput(StatesGroup):
    period = State()


async def cmd_report(message: Message, actor: Actor, settings: Settings) -> None:
    if not may_report(actor):
        raise PermissionDenied()
    today = _today(settings)
    days = [
        as_numbers(parse_period(code(today), today=today))
        for code in (this_quarter, last_quarter, this_year)
    ]
    await message.answer(_("Report: which period?"), reply_markup=period_keyboard(*days))


async def on_period(
    query: CallbackQuery,
    callback_data: ReportPeriod,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
    state: FSMContext,
) -> None:
    data = callback_data
    if (data.first, data.last) == CUSTOM:
        await state.set_state(ReportInput.period)
        await query.answer()
        await bot.send_message(query.from_user.id, _ask_period())
        return
    period = from_numbers(data.first, data.last, today=_today(settings))
    text, markup = await _after_period(session, actor, period)
    await edit_in_place(bot, query, text, markup)


async def on_typed_period(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings, state: FSMContext
) -> None:
    period = parse_period(message.text or "", today=_today(settings))
    text, markup = await _after_period(session, actor, period)
    await state.clear()
    await message.answer(text, reply_markup=markup)


def _today(settings: Settings) -> date:
    return local_today(utcnow(), settings.tz)


async def _after_period(
    session: AsyncSession, actor: Actor, period: Period
) -> tuple[str, InlineKeyboardMarkup | None]:
    if actor.is_staff:
        named = report_words(_, actor.locale).period(period)
        text = _("Report for {period}: which kind of unit?").format(period=named)
        return text, kind_keyboard(as_numbers(period))
    return await _units_card(session, actor, period, UnitKind.group, 0)


async def on_kind(
    query: CallbackQuery,
    callback_data: ReportKind,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    data = callback_data
    period = from_numbers(data.first, data.last, today=_today(settings))
    text, markup = await _units_card(session, actor, period, data.kind, data.page)
    await edit_in_place(bot, query, text, markup)


async def _units_card(
    session: AsyncSession, actor: Actor, period: Period, kind: UnitKind, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    units = await reachable_units(session=session, actor=actor, kind=kind)
    if not units:
        return _NONE[kind](), None
    named = report_words(_, actor.locale).period(period)
    return _CHOOSE[kind]().format(period=named), units_keyboard(
        as_numbers(period), kind, units, page
    )


# Whole sentences per kind, so that each language words them its own way.
_CHOOSE = {
    UnitKind.delegation: lambda: _("Report for {period}: choose a delegation."),
    UnitKind.group: lambda: _("Report for {period}: choose a group."),
    UnitKind.station: lambda: _("Report for {period}: choose a station."),
}
_NONE = {
    UnitKind.delegation: lambda: _("There is no delegation within your reach."),
    UnitKind.group: lambda: _("There is no group within your reach."),
    UnitKind.station: lambda: _("There is no station within your reach."),
}


async def on_unit(
    query: CallbackQuery,
    callback_data: ReportUnit,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    data = callback_data
    period = from_numbers(data.first, data.last, today=_today(settings))
    report = await build_report(
        session=session,
        actor=actor,
        kind=data.kind,
        unit_id=data.unit_id,
        period_code=period.code,
        now=utcnow(),
        tz=settings.tz,
    )
    await query.answer()
    files = await report_files(report, report_words(_, actor.locale))
    chat = query.from_user.id
    for part in split_text(esc("\n".join(files.summary))):
        await bot.send_message(chat, part)
    if report.empty:
        return
    for chart in files.charts:
        photo = BufferedInputFile(chart.png, filename=f"{chart.name}.png")
        await bot.send_photo(chat, photo, caption=esc(chart.title))
    document = BufferedInputFile(files.xlsx, filename=f"{files.stem}.xlsx")
    await bot.send_document(chat, document, caption=_("The tables of this report"))


def _ask_period() -> str:
    return _(
        "Write the period: a quarter (2024Q1), a year (2024) or two dates "
        "(2024-01-01..2024-03-31). /cancel to stop."
    )


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_report, Command("report"))
    router.message.register(on_typed_period, ReportInput.period, TYPED, flags=STEP)
    router.callback_query.register(on_period, ReportPeriod.filter())
    router.callback_query.register(on_kind, ReportKind.filter())
    router.callback_query.register(on_unit, ReportUnit.filter())
    return router
