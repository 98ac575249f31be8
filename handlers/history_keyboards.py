"""Buttons of /my: pages, filters, entries, delete; each carries the list it came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from handlers.log_keyboards import EditActivity
from services.activities.history import PAGE_SIZE, HistoryFilter, HistoryPage
from services.dates import format_quarter
from services.people import ROW_ID_MAX

# Bounds like the columns', so that a forged value is an expired button, not a database error.
YEAR_MAX = 9999
PAGE_MAX = 99_999
NUMBERS_PER_ROW = 5
Rows = list[list[InlineKeyboardButton]]


class ListView(StrEnum):
    entries = "l"
    quarters = "q"
    types = "t"


class HistoryCallback(CallbackData, prefix="my"):
    # 0 stands for "all": every quarter (year 0), every type (type_id 0).
    year: int = Field(ge=0, le=YEAR_MAX)
    quarter: int = Field(ge=0, le=4)
    type_id: int = Field(ge=0, le=ROW_ID_MAX)
    page: int = Field(ge=0, le=PAGE_MAX)
    view: ListView = ListView.entries

    @classmethod
    def of(
        cls, filters: HistoryFilter, page: int = 0, view: ListView = ListView.entries
    ) -> HistoryCallback:
        year, quarter = filters.period or (0, 0)
        return cls(year=year, quarter=quarter, type_id=filters.type_id or 0, page=page, view=view)

    def filters(self) -> HistoryFilter:
        period = self.year > 0 and self.quarter > 0
        return HistoryFilter(
            year=self.year if period else None,
            quarter=self.quarter if period else None,
            type_id=self.type_id or None,
        )


class EntryCallback(CallbackData, prefix="myent"):
    activity_id: int = Field(ge=1, le=ROW_ID_MAX)
    # The list to go back to.
    year: int = Field(ge=0, le=YEAR_MAX)
    quarter: int = Field(ge=0, le=4)
    type_id: int = Field(ge=0, le=ROW_ID_MAX)
    page: int = Field(ge=0, le=PAGE_MAX)


class DeleteCallback(CallbackData, prefix="mydel"):
    activity_id: int = Field(ge=1, le=ROW_ID_MAX)


class DeleteConfirmCallback(CallbackData, prefix="mydelok"):
    activity_id: int = Field(ge=1, le=ROW_ID_MAX)
    card: int = Field(ge=1, le=ROW_ID_MAX)
    confirmed: bool


def edit_button(activity_id: int) -> InlineKeyboardButton:
    # /log opens the saved entry on its confirm card (handlers.log).
    data = EditActivity(activity_id=activity_id).pack()
    return InlineKeyboardButton(text=_("Edit"), callback_data=data)


def list_rows(
    listing: HistoryPage,
    open_entry: Callable[[int], CallbackData],
    to_page: Callable[[int], CallbackData],
) -> Rows:
    """A numbered button per entry (numbered across pages), then ‹ › where there is a page."""
    start = listing.page * PAGE_SIZE
    numbers = []
    for number, activity in enumerate(listing.entries, start=start + 1):
        assert activity.id is not None  # noqa: S101 - read from the database
        numbers.append(_button(str(number), open_entry(activity.id)))
    rows = _in_rows(numbers, NUMBERS_PER_ROW)
    pager = []
    if listing.page > 0:
        pager.append(_button("‹", to_page(listing.page - 1)))
    if listing.page < listing.pages - 1:
        pager.append(_button("›", to_page(listing.page + 1)))
    return [*rows, pager] if pager else rows


def entries_keyboard(listing: HistoryPage, filters: HistoryFilter) -> InlineKeyboardMarkup:
    year, quarter = filters.period or (0, 0)

    def open_entry(activity_id: int) -> EntryCallback:
        return EntryCallback(
            activity_id=activity_id,
            year=year,
            quarter=quarter,
            type_id=filters.type_id or 0,
            page=listing.page,
        )

    rows = list_rows(listing, open_entry, lambda page: HistoryCallback.of(filters, page))
    choose = [
        _button(_("Quarter ▾"), HistoryCallback.of(filters, view=ListView.quarters)),
        _button(_("Type ▾"), HistoryCallback.of(filters, view=ListView.types)),
    ]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, choose])


def quarters_keyboard(
    filters: HistoryFilter, quarters: Sequence[tuple[int, int]], locale: str
) -> InlineKeyboardMarkup:
    buttons = []
    for year, quarter in quarters:
        chosen = HistoryFilter(year=year, quarter=quarter, type_id=filters.type_id)
        label = _mark(format_quarter(year, quarter, locale), filters.period == (year, quarter))
        buttons.append(_button(label, HistoryCallback.of(chosen)))
    every = HistoryFilter(type_id=filters.type_id)
    label = _mark(_("All quarters"), filters.period is None)
    buttons.append(_button(label, HistoryCallback.of(every)))
    return InlineKeyboardMarkup(inline_keyboard=_in_rows(buttons, 2))


def types_keyboard(
    filters: HistoryFilter, types: Sequence[tuple[int, str]]
) -> InlineKeyboardMarkup:
    buttons = []
    for type_id, name in types:
        chosen = HistoryFilter(year=filters.year, quarter=filters.quarter, type_id=type_id)
        buttons.append(_button(_mark(name, filters.type_id == type_id), HistoryCallback.of(chosen)))
    every = HistoryFilter(year=filters.year, quarter=filters.quarter)
    label = _mark(_("All types"), filters.type_id is None)
    buttons.append(_button(label, HistoryCallback.of(every)))
    return InlineKeyboardMarkup(inline_keyboard=_in_rows(buttons, 2))


def entry_keyboard(activity_id: int, back: HistoryCallback) -> InlineKeyboardMarkup:
    delete = _button(_("Delete"), DeleteCallback(activity_id=activity_id))
    rows = [[edit_button(activity_id), delete], [_button(_("Back to list"), back)]]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def delete_keyboard(activity_id: int, card: int) -> InlineKeyboardMarkup:
    row = [
        _button(label, DeleteConfirmCallback(activity_id=activity_id, card=card, confirmed=yes))
        for label, yes in ((_("Delete"), True), (_("Keep it"), False))
    ]
    return InlineKeyboardMarkup(inline_keyboard=[row])


def _in_rows(buttons: list[InlineKeyboardButton], width: int) -> Rows:
    # Built directly: aiogram's InlineKeyboardBuilder copies its whole markup on every button,
    # which cost more than the page's queries.
    return [buttons[start : start + width] for start in range(0, len(buttons), width)]


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _mark(label: str, chosen: bool) -> str:
    return f"✓ {label}" if chosen else label
