"""The annual evaluation's raw figures, aggregated in SQL (GROUP BY): one query per source,
nothing here loads the rows it counts.

A delegation's representatives are its active mandates. Activities and concerns count by the
delegation kept on the row (its index serves that), keyed by person, so a representative who
logged under an earlier mandate of the same delegation keeps it; meetings count by invitation,
so one who changed groups keeps the meetings of both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.duty_models import Activity, ActivityType, Concern, ConcernState
from storage.meeting_invitees import held, invitees, reply_of
from storage.meeting_models import Meeting, MeetingReply
from storage.models import Group, Mandate, Person, Station
from storage.rota import RECEPTION_CODE
from storage.rota_models import DutyAssignment


async def delegation_roster(
    *, session: AsyncSession, delegation_id: int
) -> list[tuple[int, str, str | None]]:
    """(person id, name, group name) of each active mandate of the delegation."""
    statement = (
        select(col(Person.id), col(Person.name), col(Group.name))
        .select_from(Mandate)
        .join(Person, col(Person.id) == col(Mandate.person_id))
        .outerjoin(Group, col(Group.id) == col(Mandate.group_id))
        .where(col(Mandate.delegation_id) == delegation_id)
        .where(col(Mandate.active).is_(True))
        .order_by(col(Person.id))
    )
    return [(int(r[0] or 0), r[1], r[2]) for r in await session.execute(statement)]


async def activity_counts(
    *,
    session: AsyncSession,
    delegation_id: int,
    first: date,
    last: date,
    codes: Mapping[str, Sequence[str]],
) -> dict[int, dict[str, int]]:
    """Per person, for each key of ``codes``, the activities logged of those type codes."""
    sums = [
        func.sum(case((col(ActivityType.code).in_(list(wanted)), literal(1)), else_=0))
        for wanted in codes.values()
    ]
    every = sorted({code for wanted in codes.values() for code in wanted})
    statement = (
        select(col(Activity.person_id), *sums)
        .select_from(Activity)
        .join(ActivityType, col(ActivityType.id) == col(Activity.type_id))
        .where(col(Activity.delegation_id) == delegation_id)
        .where(col(Activity.happened_on) >= first, col(Activity.happened_on) <= last)
        .where(col(Activity.deleted_at).is_(None))
        .where(col(ActivityType.code).in_(every))
        .group_by(col(Activity.person_id))
    )
    keys = list(codes)
    return {
        int(row[0]): {key: int(value or 0) for key, value in zip(keys, row[1:], strict=True)}
        for row in await session.execute(statement)
    }


async def concerns_resolved(
    *, session: AsyncSession, delegation_id: int, start: datetime, end: datetime
) -> dict[int, int]:
    """Per person, concerns that became resolved in [start, end) (resolved is final, so the
    last change is when)."""
    statement = (
        select(col(Concern.person_id), func.count(col(Concern.id)))
        .where(col(Concern.delegation_id) == delegation_id)
        .where(col(Concern.state) == ConcernState.resolved)
        .where(col(Concern.touched_at) >= start, col(Concern.touched_at) < end)
        .group_by(col(Concern.person_id))
    )
    return {int(r[0]): int(r[1]) for r in await session.execute(statement)}


async def meeting_attendance(
    *, session: AsyncSession, delegation_id: int, start: datetime, end: datetime
) -> dict[int, tuple[int, int]]:
    """Per person, (invited, present) over the delegation's meetings (not cancelled) that
    began in [start, end): invitations as the meetings keep them (storage.meeting_invitees),
    whichever of the delegation's groups the person was in at the time. Present: checked in,
    or the member who convened it — they run the meeting and show the code, so they seldom
    check in to it themselves."""
    invited = invitees([*held(start, end), col(Meeting.delegation_id) == delegation_id])
    present = or_(
        col(MeetingReply.checked_in_at).is_not(None),
        col(Meeting.organiser_person_id) == invited.c.person_id,
    )
    statement = (
        select(
            invited.c.person_id,
            func.count(),
            func.sum(case((present, literal(1)), else_=0)),
        )
        .select_from(invited)
        .join(Meeting, col(Meeting.id) == invited.c.meeting_id)
        .outerjoin(MeetingReply, reply_of(invited))
        .group_by(invited.c.person_id)
    )
    return {int(r[0]): (int(r[1]), int(r[2] or 0)) for r in await session.execute(statement)}


async def duty_served(
    *, session: AsyncSession, delegation_id: int, first: date, before: date
) -> dict[int, tuple[int, int]]:
    """Per person, (duties due, served) at the delegation's stations from ``first`` to the day
    before ``before``: served when a reception was logged that day."""
    reception = select(col(ActivityType.id)).where(col(ActivityType.code) == RECEPTION_CODE)
    served = (
        select(col(Activity.id))
        .where(col(Activity.person_id) == col(DutyAssignment.person_id))
        .where(col(Activity.type_id).in_(reception.scalar_subquery()))
        .where(col(Activity.happened_on) == col(DutyAssignment.day))
        .where(col(Activity.deleted_at).is_(None))
        .exists()
    )
    statement = (
        select(
            col(DutyAssignment.person_id),
            func.count(col(DutyAssignment.id)),
            func.sum(case((and_(served), literal(1)), else_=0)),
        )
        .select_from(DutyAssignment)
        .join(Station, col(Station.id) == col(DutyAssignment.station_id))
        .where(col(Station.delegation_id) == delegation_id)
        .where(col(DutyAssignment.day) >= first, col(DutyAssignment.day) < before)
        .group_by(col(DutyAssignment.person_id))
    )
    return {int(r[0]): (int(r[1]), int(r[2] or 0)) for r in await session.execute(statement)}
