"""Buttons of the concern dialogs, cards and lists. Every button carries integer ids only."""

from __future__ import annotations

from enum import IntEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from handlers.cancel import cancel_button
from services.concerns import ConcernState
from services.people import ROW_ID_MAX


class ConcernFromReception(CallbackData, prefix="cfrom"):
    """Shown under a saved reception: record a concern raised there."""

    activity_id: int = Field(ge=1, le=ROW_ID_MAX)


class ConcernMandate(CallbackData, prefix="cmand"):
    mandate: int = Field(ge=1, le=ROW_ID_MAX)


class ConcernCategory(CallbackData, prefix="ccat"):
    # A number made from the category's code (services.concerns.flow.category_number), not its
    # position: an old keyboard must not file a concern under another category once the list
    # is reordered. Buttons carry integers only.
    category: int = Field(ge=0, le=ROW_ID_MAX)


class Skip(IntEnum):
    place = 1
    photo = 2
    note = 3


class ConcernSkip(CallbackData, prefix="cskip"):
    step: Skip


class ConcernConsent(CallbackData, prefix="ccons"):
    given: bool


class EditField(IntEnum):
    category = 1
    summary = 2
    place = 3
    photo = 4
    contact = 5


class ConcernEdit(CallbackData, prefix="cedit"):
    field: EditField
    card: int = Field(ge=1, le=ROW_ID_MAX)


class ConcernSave(CallbackData, prefix="csave"):
    card: int = Field(ge=1, le=ROW_ID_MAX)


class ConcernOpen(CallbackData, prefix="copen"):
    concern: int = Field(ge=1, le=ROW_ID_MAX)


class ConcernPhoto(CallbackData, prefix="cphoto"):
    concern: int = Field(ge=1, le=ROW_ID_MAX)


class ConcernMove(CallbackData, prefix="cmove"):
    concern: int = Field(ge=1, le=ROW_ID_MAX)
    to: ConcernState


class ConcernList(CallbackData, prefix="clist"):
    page: int = Field(ge=0, le=ROW_ID_MAX)
    # True: the representative's own open concerns; False: the staff view.
    mine: bool


class ConcernExport(CallbackData, prefix="cxlsx"):
    pass


class ConcernErase(CallbackData, prefix="cerase"):
    concern: int = Field(ge=1, le=ROW_ID_MAX)


class ConcernEraseConfirm(CallbackData, prefix="cerok"):
    concern: int = Field(ge=1, le=ROW_ID_MAX)
    card: int = Field(ge=1, le=ROW_ID_MAX)
    confirmed: bool


def rows(*buttons: InlineKeyboardButton, width: int = 2) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def with_cancel(*extra: InlineKeyboardButton, width: int = 2) -> InlineKeyboardMarkup:
    """The step's buttons, then Cancel on a row of its own."""
    return InlineKeyboardMarkup(inline_keyboard=[*rows(*extra, width=width), [cancel_button()]])


def skip_button(step: Skip) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=_("Skip"), callback_data=ConcernSkip(step=step).pack())


def open_button(concern_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=f"#{concern_id}", callback_data=ConcernOpen(concern=concern_id).pack()
    )


def pager(page: int, pages: int, *, mine: bool) -> list[InlineKeyboardButton]:
    buttons = []
    if page > 0:
        data = ConcernList(page=page - 1, mine=mine).pack()
        buttons.append(InlineKeyboardButton(text=_("« Previous"), callback_data=data))
    if page + 1 < pages:
        data = ConcernList(page=page + 1, mine=mine).pack()
        buttons.append(InlineKeyboardButton(text=_("Next »"), callback_data=data))
    return buttons
