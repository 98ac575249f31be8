"""/report's buttons: the period, the kind of unit, the units (paged).

Every button carries the period as its first and last day (20240101, 20240331), read back by
services.reports.from_numbers through the parser typed text goes through, so a forged one is
refused the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from services.people import ROW_ID_MAX
from services.reports import Unit, UnitKind

DAY_MAX = 99991231
PAGE_SIZE = 8
PAGE_MAX = 10_000
# 0 to 0 on the period button: the custom period, typed.
CUSTOM = (0, 0)


class ReportPeriod(CallbackData, prefix="rep"):
    first: int = Field(ge=0, le=DAY_MAX)
    last: int = Field(ge=0, le=DAY_MAX)


class ReportKind(CallbackData, prefix="repk"):
    first: int = Field(ge=0, le=DAY_MAX)
    last: int = Field(ge=0, le=DAY_MAX)
    kind: UnitKind
    page: int = Field(default=0, ge=0, le=PAGE_MAX)


class ReportUnit(CallbackData, prefix="repu"):
    first: int = Field(ge=0, le=DAY_MAX)
    last: int = Field(ge=0, le=DAY_MAX)
    kind: UnitKind
    unit_id: int = Field(ge=1, le=ROW_ID_MAX)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


Days = tuple[int, int]


def period_keyboard(
    this_quarter: Days, last_quarter: Days, this_year: Days
) -> InlineKeyboardMarkup:
    def button(text: str, days: Days) -> InlineKeyboardButton:
        return _button(text, ReportPeriod(first=days[0], last=days[1]))

    return InlineKeyboardMarkup(
        inline_keyboard=[
            [button(_("This quarter"), this_quarter), button(_("Last quarter"), last_quarter)],
            [button(_("This year"), this_year), button(_("Other period…"), CUSTOM)],
        ]
    )


def kind_label(kind: UnitKind) -> str:
    return {
        UnitKind.delegation: _("Delegation"),
        UnitKind.group: _("Group"),
        UnitKind.station: _("Station"),
    }[kind]


def kind_keyboard(days: Days) -> InlineKeyboardMarkup:
    first, last = days
    row = [
        _button(kind_label(kind), ReportKind(first=first, last=last, kind=kind))
        for kind in UnitKind
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def units_keyboard(
    days: Days, kind: UnitKind, units: Sequence[Unit], page: int
) -> InlineKeyboardMarkup:
    """One page of units (at least one), a button each, with the pages around it; a page past
    the last (a forged or stale button) shows the last."""
    first, last = days
    page = min(page, (len(units) - 1) // PAGE_SIZE)
    shown = units[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    rows = [
        [_button(unit.name, ReportUnit(first=first, last=last, kind=kind, unit_id=unit.id))]
        for unit in shown
    ]
    turns = []
    if page > 0:
        turns.append(_button("‹", ReportKind(first=first, last=last, kind=kind, page=page - 1)))
    if (page + 1) * PAGE_SIZE < len(units):
        turns.append(_button("›", ReportKind(first=first, last=last, kind=kind, page=page + 1)))
    if turns:
        rows.append(turns)
    return InlineKeyboardMarkup(inline_keyboard=rows)
