"""Buttons of /log: the steps' choices, the confirm card and the buttons other features show."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field

from handlers.cancel import cancel_button
from handlers.concerns_keyboards import ConcernFromReception
from services.activities.choices import ActivityType, MandateDetail, stored_id, type_name
from services.activities.drafts import Step
from services.labels import LEVEL_LABELS
from services.people import ROW_ID_MAX

# Telegram shows about this much of a button's label on a phone.
LABEL_LIMIT = 60


class EditActivity(CallbackData, prefix="aedit"):
    """Opens a saved activity of one's own on the confirm card, to change it."""

    activity_id: int = Field(ge=1, le=ROW_ID_MAX)


class MandateChoice(CallbackData, prefix="lmand"):
    mandate_id: int = Field(ge=1, le=ROW_ID_MAX)


class TypeChoice(CallbackData, prefix="ltype"):
    type_id: int = Field(ge=1, le=ROW_ID_MAX)


class RecentDay(CallbackData, prefix="lrel"):
    """Today (0) or yesterday (1), counted when pressed."""

    days_ago: int = Field(ge=0, le=1)


class StepAction(StrEnum):
    skip = "skip"
    done = "done"
    clear = "clear"
    calendar = "calendar"


class StepButton(CallbackData, prefix="lstep"):
    """A button of one question: it works only while that question is the open one."""

    step: Step
    action: StepAction


class CardAction(StrEnum):
    mandate = "mandate"
    type = "type"
    day = "day"
    place = "place"
    summary = "summary"
    attachments = "attachments"
    bulletin = "bulletin"
    save = "save"


class CardButton(CallbackData, prefix="lcard"):
    card: int = Field(ge=1, le=ROW_ID_MAX)
    action: CardAction


class QuickOffer(CallbackData, prefix="lofr"):
    offer: int = Field(ge=1, le=ROW_ID_MAX)
    accept: bool


def with_cancel(builder: InlineKeyboardBuilder, *, width: int = 1) -> InlineKeyboardMarkup:
    builder.adjust(width)
    builder.row(cancel_button())
    return builder.as_markup()


def cancel_only() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[cancel_button()]])


def mandate_label(detail: MandateDetail) -> str:
    """Level and delegation, as the person knows their mandates."""
    level = _(LEVEL_LABELS[detail.mandate.level])
    return _("{level}: {delegation}").format(level=level, delegation=detail.delegation)


def mandate_keyboard(mandates: Sequence[MandateDetail]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for detail in mandates:
        builder.button(
            text=mandate_label(detail)[:LABEL_LIMIT],
            callback_data=MandateChoice(mandate_id=stored_id(detail.mandate.id)),
        )
    return with_cancel(builder)


def type_keyboard(types: Sequence[ActivityType], locale: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for activity_type in types:
        builder.button(
            text=type_name(activity_type, locale)[:LABEL_LIMIT],
            callback_data=TypeChoice(type_id=stored_id(activity_type.id)),
        )
    return with_cancel(builder, width=2)


def day_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Today"), callback_data=RecentDay(days_ago=0))
    builder.button(text=_("Yesterday"), callback_data=RecentDay(days_ago=1))
    builder.button(
        text=_("Calendar"), callback_data=StepButton(step=Step.day, action=StepAction.calendar)
    )
    return with_cancel(builder, width=3)


def skip_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=_("Skip"), callback_data=StepButton(step=Step.place, action=StepAction.skip)
    )
    return with_cancel(builder)


def attachments_keyboard(count: int) -> InlineKeyboardMarkup:
    def press(action: StepAction) -> StepButton:
        return StepButton(step=Step.attachments, action=action)

    builder = InlineKeyboardBuilder()
    if count:
        builder.button(text=_("Done"), callback_data=press(StepAction.done))
        builder.button(text=_("Remove all"), callback_data=press(StepAction.clear))
    else:
        builder.button(text=_("Skip"), callback_data=press(StepAction.skip))
    return with_cancel(builder)


def after_save_keyboard(activity_id: int, *, reception: bool) -> InlineKeyboardMarkup | None:
    if not reception:
        return None
    button = InlineKeyboardButton(
        text=_("Record a concern from this reception"),
        callback_data=ConcernFromReception(activity_id=activity_id).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def quick_offer_keyboard(offer: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Yes"), callback_data=QuickOffer(offer=offer, accept=True))
    builder.button(text=_("No"), callback_data=QuickOffer(offer=offer, accept=False))
    return builder.as_markup()
