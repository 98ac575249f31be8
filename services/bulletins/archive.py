"""The archive as readers see it: published issues a page at a time, an issue, an article.

Every function that opens an issue goes through ``access.can_read``; an issue that does not
exist, is not published, or is not the reader's reads as ``NotFound`` — a forged button learns
nothing about drafts.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins.access import can_read, readable_by
from services.bulletins.errors import IssueNotFound
from storage.bulletin_models import BulletinArticle, BulletinIssue, IssueState
from storage.bulletins import (
    count_issues,
    get_article,
    get_issue,
    get_read,
    list_articles,
    list_issues,
)

# Handlers name the tables in type hints and never import storage.
__all__ = [
    "PAGE_SIZE",
    "ArticleView",
    "BulletinArticle",
    "BulletinIssue",
    "IssuePage",
    "IssueView",
    "open_article",
    "open_issue",
    "published_page",
    "readable_issue",
]

PAGE_SIZE = 8


@dataclass(frozen=True)
class IssuePage:
    issues: list[BulletinIssue]
    total: int
    page: int
    pages: int


@dataclass(frozen=True)
class IssueView:
    issue: BulletinIssue
    articles: list[BulletinArticle]
    # Whether this reader has tapped 已阅 already, and whether they can (only people in the
    # roster have receipts: an admin named in ADMIN_IDS alone has none).
    read: bool
    can_mark_read: bool


@dataclass(frozen=True)
class ArticleView:
    issue: BulletinIssue
    article: BulletinArticle
    count: int
    previous_id: int | None
    next_id: int | None


async def published_page(*, session: AsyncSession, actor: Actor, page: int) -> IssuePage:
    """Published issues the actor may read, newest first; a page past the last shows the last."""
    where = readable_by(actor)
    total = await count_issues(session=session, state=IssueState.published, where=where)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    issues = await list_issues(
        session=session,
        state=IssueState.published,
        offset=page * PAGE_SIZE,
        limit=PAGE_SIZE,
        where=where,
    )
    return IssuePage(issues=issues, total=total, page=page, pages=pages)


async def readable_issue(*, session: AsyncSession, actor: Actor, issue_id: int) -> BulletinIssue:
    issue = await get_issue(session=session, issue_id=issue_id)
    if issue is None or not await can_read(session=session, actor=actor, issue=issue):
        raise IssueNotFound()
    return issue


async def open_issue(*, session: AsyncSession, actor: Actor, issue_id: int) -> IssueView:
    issue = await readable_issue(session=session, actor=actor, issue_id=issue_id)
    articles = await list_articles(session=session, issue_id=issue_id)
    read = (
        actor.person_id is not None
        and (await get_read(session=session, issue_id=issue_id, person_id=actor.person_id))
        is not None
    )
    can_mark = actor.person_id is not None and issue.state == IssueState.published
    return IssueView(issue=issue, articles=articles, read=read, can_mark_read=can_mark)


async def open_article(*, session: AsyncSession, actor: Actor, article_id: int) -> ArticleView:
    article = await get_article(session=session, article_id=article_id)
    if article is None:
        raise IssueNotFound()
    issue = await readable_issue(session=session, actor=actor, issue_id=article.issue_id)
    articles = await list_articles(session=session, issue_id=article.issue_id)
    ids = [item.id for item in articles]
    index = ids.index(article.id)
    return ArticleView(
        issue=issue,
        article=article,
        count=len(ids),
        previous_id=ids[index - 1] if index > 0 else None,
        next_id=ids[index + 1] if index + 1 < len(ids) else None,
    )
