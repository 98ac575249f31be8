"""The choice of handlers.dialogs: what was asked for, the Continue / Start new buttons, and the
question naming the activity or concern that is open, unsaved."""

from __future__ import annotations

from typing import Literal

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import BaseModel, Field

from handlers.concerns_render import category_text, preview
from handlers.concerns_steps import load_draft
from handlers.log_steps import Flow
from services.activities.choices import chosen_type, type_name
from services.concerns import ConcernState
from services.dates import format_date
from services.people import ROW_ID_MAX
from services.text import esc


class Wanted(BaseModel):
    """A dialog asked for: /log (with its words), an edit of an activity, a concern (from a
    reception, when activity_id is set), or a saved concern's move to the state `to`."""

    kind: Literal["log", "edit", "concern", "change"] = "log"
    words: str | None = None
    activity_id: int | None = None
    concern_id: int | None = None
    to: ConcernState | None = None

    @classmethod
    def from_data(cls, raw: object) -> Wanted:
        # Before edits and concerns waited too, only the words of a /log were kept.
        if isinstance(raw, dict):
            return cls.model_validate(raw)
        return cls(words=raw if isinstance(raw, str) else None)


class ResumeChoice(CallbackData, prefix="lres"):
    card: int = Field(ge=1, le=ROW_ID_MAX)
    start_new: bool
    # The open dialog asked about is a concern (its card slot), not an activity.
    concern: bool = False


def buttons(card: int, concern: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for label, start_new in ((_("Continue"), False), (_("Start new"), True)):
        data = ResumeChoice(card=card, start_new=start_new, concern=concern)
        builder.button(text=label, callback_data=data)
    return builder.as_markup()


async def activity_question(flow: Flow) -> str:
    draft = await flow.draft()
    kind = await chosen_type(session=flow.session, draft=draft)
    locale = flow.actor.locale
    named = " · ".join(
        [
            type_name(kind, locale) if kind is not None else "—",
            format_date(draft.day, locale) if draft.day is not None else "—",
        ]
    )
    if draft.activity_id is not None:
        question = _(
            "You have changes to an activity that are not saved yet: {activity}. Continue them, "
            "or discard them and start the new one?"
        )
    else:
        question = _(
            "You have an activity that is not saved yet: {activity}. Continue it, or discard it "
            "and start the new one?"
        )
    return question.format(activity=esc(named))


async def concern_question(flow: Flow) -> str:
    draft = await load_draft(flow.state)
    category = esc(category_text(draft.category)) if draft.category else "—"
    named = " · ".join([category, preview(draft.summary) if draft.summary else "—"])
    question = _(
        "You have a concern that is not saved yet: {concern}. Continue it, or discard it and "
        "start the new one?"
    )
    return question.format(concern=named)
