"""The date step's calendar: one month of day buttons, paged with ‹ ›; no day after today."""

from __future__ import annotations

import calendar
from datetime import date

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from babel.dates import format_skeleton, get_day_names
from pydantic import Field

from handlers.cancel import cancel_button

# date.max, so that a forged day is an expired button rather than an error.
ORDINAL_MAX = date.max.toordinal()
BLANK = " "


class CalendarMonth(CallbackData, prefix="lcal"):
    """Shows a month; also the data of the blank and title buttons, which show it again."""

    year: int = Field(ge=1, le=9999)
    month: int = Field(ge=1, le=12)


class CalendarDay(CallbackData, prefix="lday"):
    ordinal: int = Field(ge=1, le=ORDINAL_MAX)


def month_title(year: int, month: int, locale: str) -> str:
    # "2024年3月" / "March 2024"
    return format_skeleton("yMMMM", date(year, month, 1), locale=locale)


def _shift(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def calendar_keyboard(year: int, month: int, *, today: date, locale: str) -> InlineKeyboardMarkup:
    this = CalendarMonth(year=year, month=month).pack()

    def blank() -> InlineKeyboardButton:
        return InlineKeyboardButton(text=BLANK, callback_data=this)

    prev_year, prev_month = _shift(year, month, -1)
    next_year, next_month = _shift(year, month, 1)
    back = blank()
    if prev_year >= 1:
        back = InlineKeyboardButton(
            text="‹", callback_data=CalendarMonth(year=prev_year, month=prev_month).pack()
        )
    forward = blank()
    if date(next_year, next_month, 1) <= today:
        forward = InlineKeyboardButton(
            text="›", callback_data=CalendarMonth(year=next_year, month=next_month).pack()
        )
    title = InlineKeyboardButton(text=month_title(year, month, locale), callback_data=this)
    rows = [[back, title, forward]]
    names = get_day_names("narrow" if locale == "zh" else "abbreviated", locale=locale)
    rows.append([InlineKeyboardButton(text=names[day], callback_data=this) for day in range(7)])
    for week in calendar.Calendar(firstweekday=0).monthdayscalendar(year, month):
        row = []
        for number in week:
            day = date(year, month, number) if number else None
            if day is None or day > today:
                row.append(blank())
            else:
                data = CalendarDay(ordinal=day.toordinal()).pack()
                row.append(InlineKeyboardButton(text=str(number), callback_data=data))
        rows.append(row)
    rows.append([cancel_button()])
    return InlineKeyboardMarkup(inline_keyboard=rows)
