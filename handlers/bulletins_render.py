"""Texts of the bulletin archive: the list of issues, an issue's card, an article, search hits.
Every value from an issue file is escaped; long texts are split under Telegram's limit."""

from __future__ import annotations

import re

from aiogram.utils.i18n import gettext as _

from handlers.bulletins_keyboards import issue_label
from services.bulletins.archive import PAGE_SIZE, ArticleView, BulletinIssue, IssuePage, IssueView
from services.bulletins.search import SearchResult
from services.dates import format_date
from services.text import esc, split_text

SERIES_CUT = 40


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def masthead(issue: BulletinIssue) -> str:
    """代表工作 · 2024年第4期 (escaped)."""
    title = issue.title or _("Bulletin")
    return esc(title) + " · " + issue_label(issue.year, issue.number)


def issues_text(listing: IssuePage, locale: str) -> str:
    if listing.total == 0:
        return _("No bulletin issues have been published yet.")
    lines = [
        "<b>" + _("Bulletin issues") + "</b>",
        _("Issues: {total}, page {page} of {pages}").format(
            total=listing.total, page=listing.page + 1, pages=listing.pages
        ),
        "",
    ]
    for number, issue in enumerate(listing.issues, start=listing.page * PAGE_SIZE + 1):
        line = f"<b>{number}.</b> {masthead(issue)} · {format_date(issue.issued_on, locale)}"
        if issue.series:
            line += "\n    " + esc(_cut(issue.series, SERIES_CUT))
        lines.append(line)
    return "\n".join(lines)


def issue_card(view: IssueView, locale: str, footer: str | None = None) -> list[str]:
    """The summary card, in parts that each fit one message (the buttons go under the last);
    ``footer`` (HTML) is added at its end, as the read count for staff."""
    text = issue_card_text(view, locale)
    return split_text(text + "\n\n" + footer if footer else text)


def issue_card_text(view: IssueView, locale: str) -> str:
    """The summary card as one text: the delivered card is this, split by the sender."""
    issue = view.issue
    lines = [f"<b>{masthead(issue)}</b>", format_date(issue.issued_on, locale)]
    if issue.issuing_body:
        lines.append(esc(issue.issuing_body))
    if issue.series:
        lines.append(f"<i>{esc(issue.series)}</i>")
    if issue.editors_note:
        # Chinese puts no space after its full-width colon: the label and the note are one text.
        note = _("<b>Editor's note:</b> {note}").format(note=esc(issue.editors_note))
        lines += ["", note]
    lines += [
        "",
        _("Articles in this issue: {count}. Tap one to read it.").format(count=len(view.articles)),
    ]
    if view.read:
        lines.append(_("You have marked this issue as read."))
    return "\n".join(lines)


def article_parts(view: ArticleView) -> list[str]:
    """The article split at paragraph boundaries, each part under 4,096 characters."""
    article = view.article
    position = _("Article {position} of {count}").format(
        position=article.position, count=view.count
    )
    lines = [f"<b>{esc(article.heading)}</b>", f"<i>{masthead(view.issue)} · {position}</i>"]
    lines += ["", "\n\n".join(esc(paragraph) for paragraph in article.paragraphs)]
    if article.source:
        lines += ["", f"<i>{esc(article.source)}</i>"]
    return split_text("\n".join(lines))


def search_text(query: str, result: SearchResult) -> str:
    shown = esc(_cut(query.strip(), 60))
    if not result.hits:
        return _("Nothing found for «{query}». Try another word, or fewer words.").format(
            query=shown
        )
    lines = [_("Found for «{query}»:").format(query=shown), ""]
    for number, hit in enumerate(result.hits, 1):
        where = masthead(hit.issue)
        title = esc(hit.article.heading) if hit.article is not None else _("The issue itself")
        lines.append(f"<b>{number}.</b> {title} — {where}")
        lines.append("    " + highlight(hit.sentence, result.terms))
    if result.total > len(result.hits):
        lines += [
            "",
            _("Showing {shown} of {total}; add a word to narrow the search.").format(
                shown=len(result.hits), total=result.total
            ),
        ]
    return split_text("\n".join(lines))[0]


def highlight(sentence: str, terms: list[str]) -> str:
    """The sentence escaped, with each occurrence of a term in bold."""
    if not terms:
        return esc(sentence)
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(sentence):
        parts += [esc(sentence[last : match.start()]), f"<b>{esc(match.group(0))}</b>"]
        last = match.end()
    parts.append(esc(sentence[last:]))
    return "".join(parts)
