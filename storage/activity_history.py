"""Reading one person's duty activities a page at a time.

Every query starts from ``person_id`` and orders by (happened_on, id), so it runs on the indexes
ix_activity_person_day or ix_activity_person_type_day (storage.duty_models) whichever filters are
set: a page of the newest ten costs the same at 5 entries as at 5,000.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime

from sqlalchemy import ColumnElement, extract, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.duty_models import Activity


def _conditions(
    person_id: int,
    first: date | None,
    last: date | None,
    type_id: int | None,
    include_deleted: bool,
    delegation_ids: Collection[int] | None,
) -> list[ColumnElement[bool]]:
    conditions = [col(Activity.person_id) == person_id]
    if first is not None:
        conditions.append(col(Activity.happened_on) >= first)
    if last is not None:
        conditions.append(col(Activity.happened_on) <= last)
    if type_id is not None:
        conditions.append(col(Activity.type_id) == type_id)
    if not include_deleted:
        conditions.append(col(Activity.deleted_at).is_(None))
    if delegation_ids is not None:
        conditions.append(col(Activity.delegation_id).in_(delegation_ids))
    return conditions


async def count_and_points(
    *,
    session: AsyncSession,
    person_id: int,
    points_from: date,
    points_to: date,
    first: date | None = None,
    last: date | None = None,
    type_id: int | None = None,
    include_deleted: bool = False,
    delegation_ids: Collection[int] | None = None,
) -> tuple[int, int]:
    """How many activities match, and the points of the live ones between ``points_from`` and
    ``points_to`` inclusive (any type): what heads a list, in one round trip.

    ``delegation_ids`` None means any delegation.
    """
    where = _conditions(person_id, first, last, type_id, include_deleted, delegation_ids)
    counted = select(func.count()).select_from(Activity).where(*where).scalar_subquery()
    period = _conditions(person_id, points_from, points_to, None, False, delegation_ids)
    summed = select(func.coalesce(func.sum(Activity.points), 0)).where(*period).scalar_subquery()
    total, points = (await session.execute(select(counted, summed))).one()
    return int(total), int(points)


async def page_of_activities(
    *,
    session: AsyncSession,
    person_id: int,
    limit: int,
    offset: int,
    first: date | None = None,
    last: date | None = None,
    type_id: int | None = None,
    include_deleted: bool = False,
    delegation_ids: Collection[int] | None = None,
) -> list[Activity]:
    """Matching activities newest first (the day, then the later entry of one day first)."""
    where = _conditions(person_id, first, last, type_id, include_deleted, delegation_ids)
    query = (
        select(Activity)
        .where(*where)
        .order_by(col(Activity.happened_on).desc(), col(Activity.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list((await session.scalars(query)).all())


async def months_with_activities(
    *, session: AsyncSession, person_id: int, up_to: date
) -> list[tuple[int, int]]:
    """(year, month) of every month up to ``up_to`` with a live entry, newest first."""
    year = extract("year", col(Activity.happened_on))
    month = extract("month", col(Activity.happened_on))
    where = _conditions(person_id, None, up_to, None, False, None)
    query = select(year, month).where(*where).distinct().order_by(year.desc(), month.desc())
    return [(int(y), int(m)) for y, m in (await session.execute(query)).all()]


async def soft_delete_activity(*, session: AsyncSession, activity: Activity, now: datetime) -> None:
    """The entry stays, marked: staff still see it; the representative no longer does."""
    activity.deleted_at = now
    session.add(activity)
    await session.flush()
