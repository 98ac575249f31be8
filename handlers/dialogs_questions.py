"""What the choice of handlers.dialogs says: which activity or concern is open, unsaved."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from handlers.concerns_render import category_text, preview
from handlers.concerns_steps import load_draft
from handlers.log_steps import Flow
from services.activities.choices import chosen_type, type_name
from services.dates import format_date
from services.text import esc


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
