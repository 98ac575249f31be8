"""What the delivery engine sends for the bulletin: the issue's card, and a reminder to read it.

Rendered by the sender for each recipient inside their language. The card is the archive's own
(handlers.bulletins_render, handlers.bulletins_keyboards), so its buttons are the reading
handlers' callback data and a delivered card opens articles and takes 已阅 like /bulletins does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from handlers.bulletins_keyboards import OpenIssue, issue_keyboard, issue_label
from handlers.bulletins_render import issue_card_text
from services.bulletins.publish import ISSUE_TEMPLATE, view_from_params
from services.bulletins.stats import REMIND_TEMPLATE
from services.deliveries.templates import Button, Recipient, Rendered, register
from services.text import esc


def render_issue(params: Mapping[str, Any], recipient: Recipient) -> Rendered:
    view = view_from_params(params)
    text = issue_card_text(view, recipient.locale)
    return Rendered(text=text, buttons=buttons_of(issue_keyboard(view)))


def render_reminder(params: Mapping[str, Any], recipient: Recipient) -> Rendered:
    del recipient  # the locale is set around the call
    title = esc(params.get("title") or _("Bulletin"))
    issue = f"{title} · {issue_label(int(params['year']), int(params['number']))}"
    text = _(
        "Reminder: you have not yet marked {issue} as read. Open it, and tap “Read” when you "
        "have read it."
    ).format(issue=f"<b>{issue}</b>")
    button = Button(_("Open the issue"), OpenIssue(issue_id=int(params["issue_id"])).pack())
    return Rendered(text=text, buttons=((button,),))


def buttons_of(markup: InlineKeyboardMarkup) -> tuple[tuple[Button, ...], ...]:
    return tuple(
        tuple(Button(text=b.text, callback_data=b.callback_data, url=b.url) for b in row)
        for row in markup.inline_keyboard
    )


def register_templates() -> None:
    """Make the bulletin's templates known to the sender (idempotent)."""
    register(ISSUE_TEMPLATE, render_issue)
    register(REMIND_TEMPLATE, render_reminder)
