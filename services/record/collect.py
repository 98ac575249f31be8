"""Reading one representative's year into a DutyRecord: three queries, whatever the year holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.dates import quarter_of
from services.errors import NotFound
from services.record.model import (
    ActivityLine,
    ConcernLine,
    DutyRecord,
    MandateLine,
    TypePoints,
)
from storage.duty_models import Activity, ActivityType, Concern
from storage.people import get_person
from storage.record import MandateRow, record_activities, record_concerns, record_mandates

# The deployment's default zone (Settings.timezone); callers pass settings.tz.
DEFAULT_TZ = ZoneInfo("Asia/Shanghai")


async def collect_record(
    *,
    session: AsyncSession,
    person_id: int,
    year: int,
    tz: ZoneInfo = DEFAULT_TZ,
    delegation_ids: frozenset[int] | None = None,
) -> DutyRecord:
    """The year's record of ``person_id``: mandates, activities not deleted, points, concerns.

    ``delegation_ids`` limits every part to those delegations (None: all), so a staff member
    sees only what lies in their scope. The year runs from 1 January to 31 December in ``tz``.
    """
    person = await get_person(session=session, person_id=person_id)
    if person is None:
        raise NotFound()
    first, last = date(year, 1, 1), date(year, 12, 31)
    mandates = await record_mandates(
        session=session, person_id=person_id, first=first, last=last, delegation_ids=delegation_ids
    )
    rows = await record_activities(
        session=session, person_id=person_id, first=first, last=last, delegation_ids=delegation_ids
    )
    concerns = await record_concerns(
        session=session,
        person_id=person_id,
        since=datetime.combine(first, time(), tz),
        before=datetime.combine(date(year + 1, 1, 1), time(), tz),
        delegation_ids=delegation_ids,
    )
    activities = tuple(_activity(activity, kind) for activity, kind in rows)
    return DutyRecord(
        person_id=person_id,
        name=person.name,
        year=year,
        mandates=tuple(_mandate(row) for row in mandates),
        activities=activities,
        points_by_type=_points_by_type(rows),
        points_by_quarter=_by_quarter(activities),
        concerns=tuple(_concern(concern, tz) for concern in concerns),
    )


def _mandate(row: MandateRow) -> MandateLine:
    mandate = row.mandate
    return MandateLine(
        delegation=row.delegation,
        level=mandate.level,
        term_number=mandate.term_number,
        term_start=mandate.term_start,
        term_end=mandate.term_end,
        group=row.group,
        is_group_leader=mandate.is_group_leader,
    )


def _activity(activity: Activity, kind: ActivityType) -> ActivityLine:
    return ActivityLine(
        day=activity.happened_on,
        type_code=kind.code,
        type_zh=kind.name_zh,
        type_en=kind.name_en,
        place=activity.place,
        summary=activity.summary,
        points=activity.points,
        for_bulletin=activity.for_bulletin,
    )


def _points_by_type(rows: Sequence[tuple[Activity, ActivityType]]) -> tuple[TypePoints, ...]:
    """A row per type that occurs, in the types' own order (their position, then id)."""
    kinds: dict[int, ActivityType] = {}
    counts: dict[int, int] = {}
    points: dict[int, list[int]] = {}
    for activity, kind in rows:
        key = activity.type_id
        kinds[key] = kind
        counts[key] = counts.get(key, 0) + 1
        quarters = points.setdefault(key, [0, 0, 0, 0])
        quarters[quarter_of(activity.happened_on)[1] - 1] += activity.points
    ordered = sorted(kinds, key=lambda key: (kinds[key].position, key))
    return tuple(
        TypePoints(
            type_code=kinds[key].code,
            type_zh=kinds[key].name_zh,
            type_en=kinds[key].name_en,
            count=counts[key],
            by_quarter=_four(points[key]),
        )
        for key in ordered
    )


def _by_quarter(activities: Sequence[ActivityLine]) -> tuple[int, int, int, int]:
    totals = [0, 0, 0, 0]
    for line in activities:
        totals[quarter_of(line.day)[1] - 1] += line.points
    return _four(totals)


def _four(values: list[int]) -> tuple[int, int, int, int]:
    return values[0], values[1], values[2], values[3]


def _concern(concern: Concern, tz: ZoneInfo) -> ConcernLine:
    return ConcernLine(
        created_on=concern.created_at.astimezone(tz).date(),
        changed_on=concern.touched_at.astimezone(tz).date(),
        category=concern.category,
        summary=concern.summary,
        place=concern.place,
        state=concern.state,
        department=concern.department,
    )
