"""Storing an issue the parser read: new, or replacing the one with the same (year, number)
when asked to. Either way the issue is stored as it stands (a new one as a draft; a replaced one
keeps its state, its publication time and its read receipts).

Replacing keeps the id of every article whose heading stays the same (storage.bulletins
.save_issue), so the buttons of cards already delivered open the corrected text. A published
issue is corrected, not rebuilt: a file that drops or renames one of its articles is refused
(``ArticlesDropped``), since the cards representatives hold would open nothing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.bulletins.errors import ArticlesDropped, IssueExists
from services.bulletins.model import ParsedIssue
from storage.audit import record_audit
from storage.bulletin_models import BulletinArticle, BulletinIssue, IssueState
from storage.bulletins import find_issue, list_articles, save_issue


@dataclass(frozen=True)
class OriginalFile:
    """The file the issue came from: its name and kind, and Telegram's file id if it was sent
    through Telegram (an import from the command line has none)."""

    name: str | None
    kind: str
    file_id: str | None = None


@dataclass(frozen=True)
class Stored:
    issue: BulletinIssue
    replaced: bool


async def store_issue(
    *,
    session: AsyncSession,
    parsed: ParsedIssue,
    original: OriginalFile | None,
    replace: bool,
    now: datetime,
    actor_telegram_id: int | None = None,
) -> Stored:
    """Raises ``IssueExists`` if (year, number) is taken and ``replace`` is not set."""
    issue = await find_issue(session=session, year=parsed.year, number=parsed.number)
    if issue is not None and not replace:
        raise IssueExists(year=parsed.year, number=parsed.number, state=issue.state)
    replaced = issue is not None
    if issue is not None and issue.state == IssueState.published:
        await _keeps_every_article(session, issue, parsed)
    issue = issue or BulletinIssue(
        year=parsed.year, number=parsed.number, created_at=now, issued_on=parsed.issued_on, title=""
    )
    issue.issued_on = parsed.issued_on
    issue.title = parsed.title
    issue.issuing_body = parsed.issuing_body
    issue.series = parsed.series
    issue.editors_note = parsed.editors_note
    issue.contents = list(parsed.contents)
    issue.distribution = list(parsed.distribution)
    issue.copies = parsed.copies
    if original is not None:
        issue.file_name, issue.file_kind = original.name, original.kind
        issue.file_id = original.file_id
    articles = [
        BulletinArticle(
            issue_id=0,
            position=0,
            heading=article.heading,
            place=article.place,
            body="\n".join(article.paragraphs),
            source=article.source,
        )
        for article in parsed.articles
    ]
    await save_issue(session=session, issue=issue, articles=articles)
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action="bulletin.replace" if replaced else "bulletin.import",
        details={"issue_id": issue.id, "year": issue.year, "number": issue.number},
    )
    return Stored(issue=issue, replaced=replaced)


async def _keeps_every_article(
    session: AsyncSession, issue: BulletinIssue, parsed: ParsedIssue
) -> None:
    assert issue.id is not None  # noqa: S101 - a stored issue
    headings = [a.heading for a in await list_articles(session=session, issue_id=issue.id)]
    missing = Counter(headings) - Counter(article.heading for article in parsed.articles)
    if missing:
        named = "、".join(heading for heading in dict.fromkeys(headings) if heading in missing)
        raise ArticlesDropped(year=issue.year, number=issue.number, headings=named)
