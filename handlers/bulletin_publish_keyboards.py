"""The /publish dialog's states, buttons and the texts around the preview."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from handlers.bulletins_keyboards import issue_label
from handlers.cancel import cancel_button
from services.bulletins.archive import BulletinIssue, IssueView
from services.errors import StaleButton
from services.i18n_marks import N_
from services.people import ROW_ID_MAX
from services.text import esc

# The dialog's data: the draft being published, where it came from (to replace a draft with
# it), and the field being corrected.
ISSUE = "bulletin_issue"
SOURCE = "bulletin_source"
FIX = "bulletin_fix"


class PublishFlow(StatesGroup):
    # Waiting for the file or the pasted text.
    file = State()
    # The preview is shown; its buttons correct, choose the audience or cancel.
    preview = State()
    # Waiting for a typed year, number or title line.
    value = State()
    # The audience chooser is shown (handlers.audience_keyboard).
    audience = State()
    # The card asking to confirm the audience and count.
    confirm = State()


class Press(StrEnum):
    fix_year = "year"
    fix_number = "number"
    fix_title = "title"
    audience = "aud"
    replace_draft = "repl"
    open_draft = "open"
    publish = "pub"


class PreviewPress(CallbackData, prefix="bpub"):
    press: Press
    # The issue the button is about; 0 on the offer to replace a draft (not yet known).
    issue: int = Field(ge=0, le=ROW_ID_MAX)


FIX_PROMPTS = {
    Press.fix_year: N_("Type the issue's year, such as 2024."),
    Press.fix_number: N_("Type the issue's number within its year, such as 4."),
    Press.fix_title: N_("Type the title line (the masthead), such as 代表工作."),
}


def _button(text: str, press: Press, issue: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        text=text, callback_data=PreviewPress(press=press, issue=issue).pack()
    )


def control_text(view: IssueView) -> str:
    issue = view.issue
    lines = [
        _(
            "Above is issue {issue} as representatives will receive it. Nothing has been sent."
        ).format(issue=issue_label(issue.year, issue.number)),
        "",
        _("Year: {year}").format(year=issue.year),
        _("Number: {number}").format(number=issue.number),
        _("Title: {title}").format(title=esc(issue.title) or "—"),
        _("Articles: {count}").format(count=len(view.articles)),
        "",
        _("If the year, number or title was read wrong, correct it; then choose who receives it."),
    ]
    return "\n".join(lines)


def control_keyboard(issue_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [
                _button(_("Year"), Press.fix_year, issue_id),
                _button(_("Number"), Press.fix_number, issue_id),
                _button(_("Title"), Press.fix_title, issue_id),
            ],
            [_button(_("Choose the audience"), Press.audience, issue_id)],
            [cancel_button()],
        ]
    )


def drafts_keyboard(drafts: list[BulletinIssue]) -> InlineKeyboardMarkup | None:
    """A button per stored draft (from the command line or the feed), to publish it instead."""
    if not drafts:
        return None
    rows = [
        [
            _button(
                _("Draft: {issue}").format(issue=issue_label(issue.year, issue.number)),
                Press.open_draft,
                issue.id or 0,
            )
        ]
        for issue in drafts
    ]
    return InlineKeyboardMarkup(inline_keyboard=rows)


def replace_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(_("Replace the draft"), Press.replace_draft, 0), cancel_button()]]
    )


def confirm_keyboard(issue_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[_button(_("Publish"), Press.publish, issue_id), cancel_button()]]
    )


async def current_issue(state: FSMContext, issue_id: int | None) -> int:
    """The dialog's issue, which a button must name: an older preview's buttons are stale."""
    current = (await state.get_data()).get(ISSUE)
    if not current or (issue_id is not None and current != issue_id):
        raise StaleButton()
    return int(current)
