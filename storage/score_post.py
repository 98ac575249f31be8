"""Queries of the quarterly score post: every group's totals in a delegation (for the rank, in
SQL), and the drafts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.duty_models import Activity
from storage.models import Group, Mandate
from storage.score_post_models import ScoreDraft


async def group_totals(
    *, session: AsyncSession, delegation_id: int, first: date, last: date
) -> list[tuple[int, str, int, int]]:
    """(group id, name, count, points) of every group of the delegation, those with nothing
    logged included, most points first. Activities count by the group of the mandate they were
    logged under, as the reports do."""
    logged = (
        select(
            col(Mandate.group_id).label("group_id"),
            func.count(col(Activity.id)).label("count"),
            func.sum(col(Activity.points)).label("points"),
        )
        .select_from(Activity)
        .join(Mandate, col(Mandate.id) == col(Activity.mandate_id))
        .where(col(Activity.happened_on) >= first, col(Activity.happened_on) <= last)
        .where(col(Activity.deleted_at).is_(None))
        .where(col(Activity.delegation_id) == delegation_id)
        .group_by(col(Mandate.group_id))
        .subquery()
    )
    count = func.coalesce(logged.c["count"], 0)
    points = func.coalesce(logged.c["points"], 0)
    statement = (
        select(col(Group.id), col(Group.name), count, points)
        .outerjoin(logged, logged.c["group_id"] == col(Group.id))
        .where(col(Group.delegation_id) == delegation_id)
        .order_by(points.desc(), count.desc(), col(Group.name), col(Group.id))
    )
    rows = await session.execute(statement)
    return [(int(r[0]), r[1], int(r[2]), int(r[3])) for r in rows]


async def groups_of(
    *, session: AsyncSession, delegation_ids: frozenset[int] | None
) -> list[tuple[int, str, int]]:
    """(id, name, delegation id) of the groups in the delegations (None: all), by name."""
    statement = select(col(Group.id), col(Group.name), col(Group.delegation_id))
    if delegation_ids is not None:
        statement = statement.where(col(Group.delegation_id).in_(sorted(delegation_ids)))
    statement = statement.order_by(col(Group.delegation_id), col(Group.name), col(Group.id))
    rows = await session.execute(statement)
    return [(int(r[0] or 0), r[1], int(r[2])) for r in rows]


async def drafts_for(
    *, session: AsyncSession, group_ids: Sequence[int], year: int, quarter: int
) -> dict[int, ScoreDraft]:
    """The quarter's drafts of these groups, by group id."""
    if not group_ids:
        return {}
    statement = (
        select(ScoreDraft)
        .where(col(ScoreDraft.group_id).in_(sorted(set(group_ids))))
        .where(col(ScoreDraft.year) == year, col(ScoreDraft.quarter) == quarter)
    )
    return {d.group_id: d for d in (await session.scalars(statement)).all()}


async def add_drafts(
    *, session: AsyncSession, group_ids: Sequence[int], year: int, quarter: int
) -> dict[int, ScoreDraft]:
    """Every group's draft for the quarter, created where missing."""
    found = await drafts_for(session=session, group_ids=group_ids, year=year, quarter=quarter)
    for group_id in sorted(set(group_ids) - set(found)):
        draft = ScoreDraft(group_id=group_id, year=year, quarter=quarter)
        session.add(draft)
        found[group_id] = draft
    await session.flush()
    return found


async def is_member(*, session: AsyncSession, person_id: int, group_id: int) -> bool:
    """Whether the person holds an active mandate in the group."""
    statement = (
        select(col(Mandate.id))
        .where(col(Mandate.person_id) == person_id)
        .where(col(Mandate.group_id) == group_id)
        .where(col(Mandate.active).is_(True))
        .limit(1)
    )
    return await session.scalar(statement) is not None
