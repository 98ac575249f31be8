"""Buttons of the bulletin archive: pages of issues, an issue's articles, 已阅, the original file.

Every button carries integer ids only; what it opens is checked again (services.bulletins.access),
so a forged id opens nothing it should not.
"""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from pydantic import Field

from services.bulletins.archive import ArticleView, IssuePage, IssueView
from services.bulletins.search import SearchResult
from services.people import ROW_ID_MAX

PAGE_MAX = 99_999
# Telegram shows about this much of a button's label on a phone.
LABEL_CUT = 48
ISSUES_PER_ROW = 2
HITS_PER_ROW = 5


class IssuesPage(CallbackData, prefix="bul"):
    page: int = Field(ge=0, le=PAGE_MAX)


class OpenIssue(CallbackData, prefix="bulo"):
    issue_id: int = Field(ge=1, le=ROW_ID_MAX)


class OpenArticle(CallbackData, prefix="bula"):
    article_id: int = Field(ge=1, le=ROW_ID_MAX)


class MarkRead(CallbackData, prefix="bulr"):
    issue_id: int = Field(ge=1, le=ROW_ID_MAX)


class OriginalFile(CallbackData, prefix="bulf"):
    issue_id: int = Field(ge=1, le=ROW_ID_MAX)


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _cut(text: str) -> str:
    return text if len(text) <= LABEL_CUT else text[: LABEL_CUT - 1] + "…"


def issue_label(year: int, number: int) -> str:
    return _("{year} No. {number}").format(year=year, number=number)


def _rows(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def issues_keyboard(listing: IssuePage) -> InlineKeyboardMarkup:
    issues = [
        _button(issue_label(issue.year, issue.number), OpenIssue(issue_id=issue.id or 0))
        for issue in listing.issues
    ]
    rows = _rows(issues, ISSUES_PER_ROW)
    pager = []
    if listing.page > 0:
        pager.append(_button("‹", IssuesPage(page=listing.page - 1)))
    if listing.page < listing.pages - 1:
        pager.append(_button("›", IssuesPage(page=listing.page + 1)))
    return InlineKeyboardMarkup(inline_keyboard=[*rows, pager] if pager else rows)


def issue_keyboard(view: IssueView) -> InlineKeyboardMarkup:
    issue_id = view.issue.id or 0
    rows = [
        [_button(f"{index}. {_cut(article.heading)}", OpenArticle(article_id=article.id or 0))]
        for index, article in enumerate(view.articles, 1)
    ]
    last = []
    if view.can_mark_read:
        read = _("✓ Read") if view.read else _("Read")
        last.append(_button(read, MarkRead(issue_id=issue_id)))
    if view.issue.file_id:
        last.append(_button(_("Original file"), OriginalFile(issue_id=issue_id)))
    last.append(_button(_("All issues"), IssuesPage(page=0)))
    return InlineKeyboardMarkup(inline_keyboard=[*rows, last])


def article_keyboard(view: ArticleView) -> InlineKeyboardMarkup:
    row = []
    if view.previous_id is not None:
        row.append(_button(_("‹ Previous"), OpenArticle(article_id=view.previous_id)))
    row.append(_button(_("Issue"), OpenIssue(issue_id=view.issue.id or 0)))
    if view.next_id is not None:
        row.append(_button(_("Next ›"), OpenArticle(article_id=view.next_id)))
    return InlineKeyboardMarkup(inline_keyboard=[row])


def hits_keyboard(result: SearchResult) -> InlineKeyboardMarkup | None:
    buttons = []
    for number, hit in enumerate(result.hits, 1):
        if hit.article is not None:
            buttons.append(_button(str(number), OpenArticle(article_id=hit.article.id or 0)))
        else:
            buttons.append(_button(str(number), OpenIssue(issue_id=hit.issue.id or 0)))
    return InlineKeyboardMarkup(inline_keyboard=_rows(buttons, HITS_PER_ROW)) if buttons else None
