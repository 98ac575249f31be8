"""Bulletin assembly: which activities went into which issue, and the activities staff may pick
(marked for the bulletin, not yet in a published issue)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    ForeignKey,
    Integer,
    UniqueConstraint,
    and_,
    delete,
    func,
)
from sqlalchemy import select as select_columns
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import Field, SQLModel, col, select

from storage.bulletin_models import BulletinIssue, IssueState
from storage.duty_models import Activity, ActivityType
from storage.models import Delegation, Person


def _cascade(target: str) -> Any:
    return Field(
        sa_column=Column(
            Integer, ForeignKey(target, ondelete="CASCADE"), index=True, nullable=False
        )
    )


class BulletinPiece(SQLModel, table=True):
    """An activity assembled into an issue (draft or published). Once the issue is published the
    activity is no longer offered for another."""

    __tablename__ = "bulletin_piece"
    __table_args__ = (UniqueConstraint("issue_id", "activity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = _cascade("bulletinissue.id")
    activity_id: int = _cascade("activity.id")
    # 1, 2, …: its place in the issue as assembled.
    position: int


@dataclass(frozen=True)
class CandidateRow:
    activity: Activity
    person_name: str
    delegation_name: str
    type_zh: str
    type_en: str


def _candidate_filter(scope: Collection[int] | None) -> list[ColumnElement[bool]]:
    published = (
        select(BulletinPiece.id)
        .join(BulletinIssue, col(BulletinIssue.id) == col(BulletinPiece.issue_id))
        .where(col(BulletinPiece.activity_id) == col(Activity.id))
        .where(col(BulletinIssue.state) == IssueState.published)
    )
    where = [
        col(Activity.for_bulletin).is_(True),
        col(Activity.deleted_at).is_(None),
        ~published.exists(),
    ]
    if scope is not None:
        where.append(col(Activity.delegation_id).in_(list(scope)))
    return where


async def count_candidates(*, session: AsyncSession, scope: Collection[int] | None) -> int:
    statement = select(func.count()).select_from(Activity).where(*_candidate_filter(scope))
    return int(await session.scalar(statement) or 0)


async def list_candidates(
    *,
    session: AsyncSession,
    scope: Collection[int] | None,
    offset: int = 0,
    limit: int | None = None,
    ids: Collection[int] | None = None,
) -> list[CandidateRow]:
    """Candidates in scope, newest first; only those of ``ids`` when given."""
    statement = (
        # Five columns: more than sqlmodel's select is typed for.
        select_columns(
            Activity,
            col(Person.name),
            col(Delegation.name),
            col(ActivityType.name_zh),
            col(ActivityType.name_en),
        )
        .join(Person, col(Person.id) == col(Activity.person_id))
        .join(Delegation, col(Delegation.id) == col(Activity.delegation_id))
        .join(ActivityType, col(ActivityType.id) == col(Activity.type_id))
        .where(*_candidate_filter(scope))
        .order_by(col(Activity.happened_on).desc(), col(Activity.id).desc())
        .offset(offset)
    )
    if ids is not None:
        statement = statement.where(col(Activity.id).in_(list(ids)))
    if limit is not None:
        statement = statement.limit(limit)
    rows = (await session.execute(statement)).all()
    return [CandidateRow(*row) for row in rows]


async def link_pieces(*, session: AsyncSession, issue_id: int, activity_ids: Sequence[int]) -> None:
    """Make ``activity_ids`` the issue's assembled pieces, in order."""
    await session.execute(delete(BulletinPiece).where(col(BulletinPiece.issue_id) == issue_id))
    for position, activity_id in enumerate(activity_ids, 1):
        session.add(BulletinPiece(issue_id=issue_id, activity_id=activity_id, position=position))
    await session.flush()


async def last_number(*, session: AsyncSession, year: int) -> int:
    """The highest number of ``year`` among stored issues, leaving out drafts assembled from
    activities (the next assembly replaces such a draft rather than following it); 0 if none."""
    assembled = select(BulletinPiece.id).where(col(BulletinPiece.issue_id) == col(BulletinIssue.id))
    assembled_draft = and_(col(BulletinIssue.state) == IssueState.draft, assembled.exists())
    statement = (
        select(func.max(BulletinIssue.number))
        .where(col(BulletinIssue.year) == year)
        .where(~assembled_draft)
    )
    return int(await session.scalar(statement) or 0)


async def latest_issue(*, session: AsyncSession) -> BulletinIssue | None:
    """The newest stored issue: its issuing body and distribution are the office's."""
    statement = select(BulletinIssue).order_by(
        col(BulletinIssue.year).desc(), col(BulletinIssue.number).desc()
    )
    return await session.scalar(statement.limit(1))
