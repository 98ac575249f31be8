"""The concern follow-up as a delivery template, rendered in the representative's language."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _

from services.concerns.categories import category_label
from services.dates import format_date
from services.deliveries.templates import Button, Recipient, Rendered, register

FOLLOWUP = "concern.followup"
# Callback data of the button that opens the concern's card (handlers.concerns_card, "copen").
OPEN_CONCERN_PREFIX = "copen"
SUMMARY_SHOWN = 120


def render_followup(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    label = category_label(p["category"])
    summary = p["summary"]
    if len(summary) > SUMMARY_SHOWN:
        summary = summary[: SUMMARY_SHOWN - 1] + "…"
    text = "\n".join(
        [
            _("<b>A concern waits for you</b>: unchanged for {days} days.").format(days=p["days"]),
            _("Recorded: {day}").format(
                day=format_date(date.fromisoformat(p["day"]), recipient.locale)
            ),
            f"{escape(_(label) if label else p['category'])} · {escape(summary)}",
            _("Open it to record what happened since (forwarded, answered, resolved)."),
        ]
    )
    button = Button(
        _("Open the concern"), callback_data=f"{OPEN_CONCERN_PREFIX}:{int(p['concern_id'])}"
    )
    return Rendered(text, ((button,),))


register(FOLLOWUP, render_followup)
