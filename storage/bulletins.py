"""Bulletin issues, their articles and read receipts: queries and writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.bulletin_models import BulletinArticle, BulletinIssue, BulletinRead, IssueState


async def get_issue(*, session: AsyncSession, issue_id: int) -> BulletinIssue | None:
    return await session.get(BulletinIssue, issue_id)


async def find_issue(*, session: AsyncSession, year: int, number: int) -> BulletinIssue | None:
    return await session.scalar(
        select(BulletinIssue)
        .where(col(BulletinIssue.year) == year)
        .where(col(BulletinIssue.number) == number)
    )


async def save_issue(
    *, session: AsyncSession, issue: BulletinIssue, articles: Sequence[BulletinArticle]
) -> BulletinIssue:
    """Add or update the issue and make ``articles`` its articles (positions 1, 2, … in order).

    An article whose heading matches one the issue had keeps that row, and with it its id: the
    buttons of cards already delivered carry article ids. The others are added, and those the
    issue had that match none are deleted. Its reads are kept."""
    session.add(issue)
    await session.flush()
    assert issue.id is not None  # noqa: S101 - flushed
    before = await list_articles(session=session, issue_id=issue.id)
    by_heading: dict[str, list[BulletinArticle]] = {}
    for old in before:
        by_heading.setdefault(old.heading, []).append(old)
        # (issue, position) is unique: the rows kept move out of the way of the new order.
        old.position = -old.position
    await session.flush()
    for position, article in enumerate(articles, 1):
        same = by_heading.get(article.heading)
        row = same.pop(0) if same else article
        if row is not article:
            row.place, row.body, row.source = article.place, article.body, article.source
        row.issue_id, row.position = issue.id, position
        session.add(row)
    for left in by_heading.values():
        for old in left:
            await session.delete(old)
    await session.flush()
    return issue


async def publish_issue(*, session: AsyncSession, issue: BulletinIssue, now: datetime) -> None:
    """Mark the issue published (its first publication time is kept)."""
    issue.state = IssueState.published
    issue.published_at = issue.published_at or now
    session.add(issue)
    await session.flush()


async def count_issues(
    *, session: AsyncSession, state: IssueState, where: ColumnElement[bool] | None = None
) -> int:
    """Issues in ``state`` (and matching ``where``, e.g. storage.bulletin_audience's filter)."""
    statement = select(func.count()).select_from(BulletinIssue)
    statement = statement.where(col(BulletinIssue.state) == state)
    if where is not None:
        statement = statement.where(where)
    return int(await session.scalar(statement) or 0)


async def list_issues(
    *,
    session: AsyncSession,
    state: IssueState,
    offset: int,
    limit: int,
    where: ColumnElement[bool] | None = None,
) -> list[BulletinIssue]:
    """Issues in ``state`` (and matching ``where``), newest first: by date, then year and number."""
    statement = select(BulletinIssue).where(col(BulletinIssue.state) == state)
    if where is not None:
        statement = statement.where(where)
    statement = (
        statement.order_by(
            col(BulletinIssue.issued_on).desc(),
            col(BulletinIssue.year).desc(),
            col(BulletinIssue.number).desc(),
        )
        .offset(offset)
        .limit(limit)
    )
    return list((await session.scalars(statement)).all())


async def list_articles(*, session: AsyncSession, issue_id: int) -> list[BulletinArticle]:
    statement = (
        select(BulletinArticle)
        .where(col(BulletinArticle.issue_id) == issue_id)
        .order_by(col(BulletinArticle.position))
    )
    return list((await session.scalars(statement)).all())


async def get_article(*, session: AsyncSession, article_id: int) -> BulletinArticle | None:
    return await session.get(BulletinArticle, article_id)


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    return dialect.insert(table)


async def add_read(*, session: AsyncSession, issue_id: int, person_id: int, now: datetime) -> bool:
    """Record that the person read the issue; False if it was recorded before (kept as it was)."""
    values = {"issue_id": issue_id, "person_id": person_id, "read_at": now}
    statement = _insert(session, BulletinRead).values(values).on_conflict_do_nothing()
    new_id = await session.scalar(statement.returning(col(BulletinRead.id)))
    return new_id is not None


async def get_read(*, session: AsyncSession, issue_id: int, person_id: int) -> BulletinRead | None:
    return await session.scalar(
        select(BulletinRead)
        .where(col(BulletinRead.issue_id) == issue_id)
        .where(col(BulletinRead.person_id) == person_id)
    )


async def list_reads(*, session: AsyncSession, issue_id: int) -> list[BulletinRead]:
    """Who has read an issue, first readers first (the staff view filters them by scope)."""
    statement = (
        select(BulletinRead)
        .where(col(BulletinRead.issue_id) == issue_id)
        .order_by(col(BulletinRead.read_at), col(BulletinRead.id))
    )
    return list((await session.scalars(statement)).all())


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains_all(column: Any, terms: Sequence[str]) -> ColumnElement[bool]:
    return and_(*(column.ilike(f"%{_escape_like(t)}%", escape="\\") for t in terms))


async def search_articles(
    *,
    session: AsyncSession,
    terms: Sequence[str],
    state: IssueState,
    limit: int,
    where: ColumnElement[bool] | None = None,
) -> tuple[list[tuple[BulletinArticle, BulletinIssue]], int]:
    """Articles of issues in ``state`` (and matching ``where``) whose heading and body together
    hold every term (case-insensitive), newest issue first, at most ``limit``; and how many
    there are in all."""
    found = _contains_all(col(BulletinArticle.heading) + "\n" + col(BulletinArticle.body), terms)
    joined = (
        select(BulletinArticle, BulletinIssue)
        .join(BulletinIssue, col(BulletinIssue.id) == col(BulletinArticle.issue_id))
        .where(col(BulletinIssue.state) == state)
        .where(found)
    )
    if where is not None:
        joined = joined.where(where)
    total = await session.scalar(select(func.count()).select_from(joined.subquery()))
    rows = await session.execute(
        joined.order_by(
            col(BulletinIssue.issued_on).desc(),
            col(BulletinIssue.id).desc(),
            col(BulletinArticle.position),
        ).limit(limit)
    )
    return [(row[0], row[1]) for row in rows], int(total or 0)


async def search_issues(
    *,
    session: AsyncSession,
    terms: Sequence[str],
    state: IssueState,
    limit: int,
    where: ColumnElement[bool] | None = None,
) -> list[BulletinIssue]:
    """Issues in ``state`` (and matching ``where``) whose title, series line and editor's note
    together hold every term."""
    text = col(BulletinIssue.title) + "\n" + col(BulletinIssue.series)
    found = _contains_all(text + "\n" + col(BulletinIssue.editors_note), terms)
    statement = select(BulletinIssue).where(col(BulletinIssue.state) == state).where(found)
    if where is not None:
        statement = statement.where(where)
    statement = statement.order_by(
        col(BulletinIssue.issued_on).desc(), col(BulletinIssue.id).desc()
    ).limit(limit)
    return list((await session.scalars(statement)).all())
