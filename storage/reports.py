"""Report figures, aggregated in SQL (GROUP BY): nothing here loads the rows it counts.

A unit is a delegation, a group or a station; its representatives are the active mandates that
name it. Activities and concerns count by the mandate they were logged under (a delegation's by
the delegation kept on the row, which its index serves), so a representative who moved keeps
their past where it happened.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.bulletin_audience import KEY_PREFIX
from storage.bulletin_models import BulletinIssue, BulletinRead, IssueState
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.duty_models import Activity, ActivityType, Concern, ConcernState
from storage.meeting_invitees import held, invitees, reply_of
from storage.meeting_models import Answer, Meeting, MeetingReply
from storage.models import Delegation, Group, Mandate, Person, Station
from storage.rota import RECEPTION_CODE
from storage.rota_models import DutyAssignment

OPEN_STATES = (ConcernState.received, ConcernState.forwarded, ConcernState.answered)


def _mandate_in_unit(kind: str, unit_id: int) -> ColumnElement[bool]:
    column = {
        "delegation": col(Mandate.delegation_id),
        "group": col(Mandate.group_id),
        "station": col(Mandate.station_id),
    }[kind]
    return column == unit_id


def _unit_mandates(kind: str, unit_id: int) -> Any:
    return select(col(Mandate.id)).where(_mandate_in_unit(kind, unit_id))


def _unit_people(kind: str, unit_id: int) -> Any:
    return (
        select(col(Mandate.person_id))
        .where(_mandate_in_unit(kind, unit_id))
        .where(col(Mandate.active).is_(True))
    )


def _activities_of(kind: str, unit_id: int, first: date, last: date) -> list[ColumnElement[bool]]:
    where = [
        col(Activity.happened_on) >= first,
        col(Activity.happened_on) <= last,
        col(Activity.deleted_at).is_(None),
    ]
    if kind == "delegation":
        where.append(col(Activity.delegation_id) == unit_id)
    else:
        where.append(col(Activity.mandate_id).in_(_unit_mandates(kind, unit_id)))
    return where


def _concerns_of(kind: str, unit_id: int) -> ColumnElement[bool]:
    if kind == "delegation":
        return col(Concern.delegation_id) == unit_id
    return col(Concern.mandate_id).in_(_unit_mandates(kind, unit_id))


async def activities_by_type(
    *, session: AsyncSession, kind: str, unit_id: int, first: date, last: date
) -> list[tuple[str, str, str, int, int]]:
    """(code, name_zh, name_en, count, points) of each type logged, in the types' order."""
    statement = (
        select(
            col(ActivityType.code),
            col(ActivityType.name_zh),
            col(ActivityType.name_en),
            func.count(col(Activity.id)),
            func.coalesce(func.sum(col(Activity.points)), 0),
        )
        .join(ActivityType, col(ActivityType.id) == col(Activity.type_id))
        .where(*_activities_of(kind, unit_id, first, last))
        .group_by(
            col(ActivityType.id),
            col(ActivityType.code),
            col(ActivityType.name_zh),
            col(ActivityType.name_en),
            col(ActivityType.position),
        )
        .order_by(col(ActivityType.position), col(ActivityType.id))
    )
    rows = await session.execute(statement)
    return [(r[0], r[1], r[2], int(r[3]), int(r[4])) for r in rows]


async def activities_by_group_month(
    *, session: AsyncSession, kind: str, unit_id: int, first: date, last: date
) -> list[tuple[str | None, int, int, int, int]]:
    """(group name or None, year, month, count, points), by group name then month."""
    year = extract("year", col(Activity.happened_on))
    month = extract("month", col(Activity.happened_on))
    statement = (
        select(
            col(Group.name),
            year,
            month,
            func.count(col(Activity.id)),
            func.coalesce(func.sum(col(Activity.points)), 0),
        )
        .select_from(Activity)
        .join(Mandate, col(Mandate.id) == col(Activity.mandate_id))
        .outerjoin(Group, col(Group.id) == col(Mandate.group_id))
        .where(*_activities_of(kind, unit_id, first, last))
        .group_by(col(Group.id), col(Group.name), year, month)
        .order_by(col(Group.name), year, month)
    )
    rows = await session.execute(statement)
    return [(r[0], int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows]


async def people_points(
    *, session: AsyncSession, kind: str, unit_id: int, first: date, last: date
) -> list[tuple[int, str, str | None, int, int]]:
    """(person id, name, group name, count, points) of every active mandate of the unit, those
    who logged nothing included, most points first."""
    logged = (
        select(
            col(Activity.mandate_id).label("mandate_id"),
            func.count(col(Activity.id)).label("count"),
            func.sum(col(Activity.points)).label("points"),
        )
        .where(*_activities_of(kind, unit_id, first, last))
        .group_by(col(Activity.mandate_id))
        .subquery()
    )
    count = func.coalesce(logged.c["count"], 0)
    points = func.coalesce(logged.c["points"], 0)
    statement = (
        select(col(Person.id), col(Person.name), col(Group.name), count, points)
        .select_from(Mandate)
        .join(Person, col(Person.id) == col(Mandate.person_id))
        .outerjoin(Group, col(Group.id) == col(Mandate.group_id))
        .outerjoin(logged, logged.c["mandate_id"] == col(Mandate.id))
        .where(_mandate_in_unit(kind, unit_id))
        .where(col(Mandate.active).is_(True))
        .order_by(points.desc(), count.desc(), col(Person.name), col(Person.id))
    )
    rows = await session.execute(statement)
    return [(int(r[0]), r[1], r[2], int(r[3]), int(r[4])) for r in rows]


async def _reception_type_id(session: AsyncSession) -> int | None:
    statement = select(col(ActivityType.id)).where(col(ActivityType.code) == RECEPTION_CODE)
    found = await session.scalar(statement)
    return int(found) if found is not None else None


def _duties_of(kind: str, unit_id: int, first: date, last: date) -> list[ColumnElement[bool]]:
    where = [col(DutyAssignment.day) >= first, col(DutyAssignment.day) <= last]
    if kind == "station":
        where.append(col(DutyAssignment.station_id) == unit_id)
    elif kind == "delegation":
        where.append(col(Station.delegation_id) == unit_id)
    else:
        where.append(col(DutyAssignment.person_id).in_(_unit_people(kind, unit_id)))
    return where


def _served(reception_type_id: int | None) -> ColumnElement[bool]:
    if reception_type_id is None:
        return literal(False)
    return (
        select(col(Activity.id))
        .where(col(Activity.person_id) == col(DutyAssignment.person_id))
        .where(col(Activity.type_id) == reception_type_id)
        .where(col(Activity.happened_on) == col(DutyAssignment.day))
        .where(col(Activity.deleted_at).is_(None))
        .exists()
    )


async def duty_by_station(
    *, session: AsyncSession, kind: str, unit_id: int, first: date, last: date, today: date
) -> list[tuple[str, int, int, int, int]]:
    """(station, assigned, served, missed, upcoming) per station with duties in the period."""
    served = _served(await _reception_type_id(session))
    past = col(DutyAssignment.day) < today
    one = literal(1)
    statement = (
        select(
            col(Station.name),
            func.count(col(DutyAssignment.id)),
            func.sum(case((served, one), else_=0)),
            func.sum(case((and_(past, ~served), one), else_=0)),
            func.sum(case((and_(~past, ~served), one), else_=0)),
        )
        .select_from(DutyAssignment)
        .join(Station, col(Station.id) == col(DutyAssignment.station_id))
        .where(*_duties_of(kind, unit_id, first, last))
        .group_by(col(Station.id), col(Station.name))
        .order_by(col(Station.name))
    )
    rows = await session.execute(statement)
    return [(r[0], int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows]


async def missed_duties(
    *, session: AsyncSession, kind: str, unit_id: int, first: date, last: date, today: date
) -> list[tuple[date, str, str]]:
    """(day, station, representative) of each past duty without a reception logged."""
    served = _served(await _reception_type_id(session))
    statement = (
        select(col(DutyAssignment.day), col(Station.name), col(Person.name))
        .select_from(DutyAssignment)
        .join(Station, col(Station.id) == col(DutyAssignment.station_id))
        .join(Person, col(Person.id) == col(DutyAssignment.person_id))
        .where(*_duties_of(kind, unit_id, first, last))
        .where(col(DutyAssignment.day) < today)
        .where(~served)
        .order_by(col(DutyAssignment.day), col(Station.name), col(Person.name))
    )
    return [(r[0], r[1], r[2]) for r in await session.execute(statement)]


async def concerns_received_by_state(
    *, session: AsyncSession, kind: str, unit_id: int, start: datetime, end: datetime
) -> dict[str, int]:
    """Concerns recorded in [start, end), by their state now."""
    statement = (
        select(col(Concern.state), func.count(col(Concern.id)))
        .where(_concerns_of(kind, unit_id))
        .where(col(Concern.created_at) >= start, col(Concern.created_at) < end)
        .group_by(col(Concern.state))
    )
    return {str(r[0]): int(r[1]) for r in await session.execute(statement)}


async def concerns_finished(
    *, session: AsyncSession, kind: str, unit_id: int, start: datetime, end: datetime
) -> dict[str, int]:
    """Concerns that became resolved or closed in [start, end): both states are final, so the
    last change (touched_at) is when they got there."""
    statement = (
        select(col(Concern.state), func.count(col(Concern.id)))
        .where(_concerns_of(kind, unit_id))
        .where(col(Concern.state).in_([ConcernState.resolved, ConcernState.closed]))
        .where(col(Concern.touched_at) >= start, col(Concern.touched_at) < end)
        .group_by(col(Concern.state))
    )
    return {str(r[0]): int(r[1]) for r in await session.execute(statement)}


async def open_concerns_by_age(
    *, session: AsyncSession, kind: str, unit_id: int, end: datetime, cutoffs: Sequence[datetime]
) -> list[int]:
    """Open concerns recorded before ``end``, counted per age bucket: recorded at or after
    cutoffs[0], then before it and at or after cutoffs[1], ..., then older than the last."""
    buckets = []
    newer: ColumnElement[bool] | None = None
    for cutoff in cutoffs:
        inside = col(Concern.created_at) >= cutoff
        condition = inside if newer is None else and_(inside, ~newer)
        buckets.append(func.sum(case((condition, literal(1)), else_=0)))
        newer = inside
    older = col(Concern.created_at) < cutoffs[-1]
    buckets.append(func.sum(case((older, literal(1)), else_=0)))
    statement = (
        select(*buckets)
        .where(_concerns_of(kind, unit_id))
        .where(col(Concern.state).in_(OPEN_STATES))
        .where(col(Concern.created_at) < end)
    )
    row = (await session.execute(statement)).one()
    return [int(value or 0) for value in row]


def _issue_key() -> ColumnElement[str]:
    # The delivery key of an issue (storage.bulletin_audience.issue_delivery_key), in SQL.
    year = cast(col(BulletinIssue.year), String)
    number = cast(col(BulletinIssue.number), String)
    return literal(f"{KEY_PREFIX}:", String) + year + literal(":", String) + number


async def read_rates(
    *, session: AsyncSession, kind: str, unit_id: int, start: datetime, end: datetime
) -> list[tuple[int, int, str, date, int, int]]:
    """(year, number, title, issued on, audience, read) of each issue published in [start, end)
    and delivered to someone of the unit; audience and read count the unit's people only."""
    audience = func.count(func.distinct(col(DeliveryRecipient.person_id)))
    read = func.count(func.distinct(col(BulletinRead.person_id)))
    statement = (
        select(
            col(BulletinIssue.year),
            col(BulletinIssue.number),
            col(BulletinIssue.title),
            col(BulletinIssue.issued_on),
            audience,
            read,
        )
        .select_from(BulletinIssue)
        .join(Delivery, col(Delivery.dedupe_key) == _issue_key())
        .join(DeliveryRecipient, col(DeliveryRecipient.delivery_id) == col(Delivery.id))
        .outerjoin(
            BulletinRead,
            and_(
                col(BulletinRead.issue_id) == col(BulletinIssue.id),
                col(BulletinRead.person_id) == col(DeliveryRecipient.person_id),
            ),
        )
        .where(col(BulletinIssue.state) == IssueState.published)
        .where(col(BulletinIssue.published_at) >= start, col(BulletinIssue.published_at) < end)
        .where(col(DeliveryRecipient.person_id).in_(_unit_people(kind, unit_id)))
        .group_by(
            col(BulletinIssue.id),
            col(BulletinIssue.year),
            col(BulletinIssue.number),
            col(BulletinIssue.title),
            col(BulletinIssue.issued_on),
        )
        .order_by(col(BulletinIssue.issued_on), col(BulletinIssue.year), col(BulletinIssue.number))
    )
    rows = await session.execute(statement)
    return [(r[0], r[1], r[2], r[3], int(r[4]), int(r[5])) for r in rows]


def _unit_groups(kind: str, unit_id: int) -> ColumnElement[bool]:
    """The unit's groups: a delegation's, the group itself, or those with a representative
    sitting at the station."""
    if kind == "delegation":
        return col(Group.delegation_id) == unit_id
    if kind == "group":
        return col(Group.id) == unit_id
    at_station = (
        select(col(Mandate.group_id))
        .where(col(Mandate.station_id) == unit_id)
        .where(col(Mandate.active).is_(True))
    )
    return col(Group.id).in_(at_station)


async def meetings_by_group(
    *, session: AsyncSession, kind: str, unit_id: int, start: datetime, end: datetime
) -> list[tuple[str, int, int, int, int, int, int]]:
    """(group, held, invited, attending, excused, no answer, checked in) of each of the unit's
    groups, by name, those that met in [start, end) or not: meetings not cancelled that began
    then, and their invitations (storage.meeting_invitees) by answer. Checked in is counted
    apart: a member may check in without having answered."""
    meetings = [*held(start, end), col(Meeting.group_id) == col(Group.id)]
    count_held = (
        select(col(Group.id), col(Group.name), func.count(col(Meeting.id)))
        .select_from(Group)
        .outerjoin(Meeting, and_(*meetings))
        .where(_unit_groups(kind, unit_id))
        .group_by(col(Group.id), col(Group.name))
        .order_by(col(Group.name), col(Group.id))
    )
    groups = [(int(r[0] or 0), r[1], int(r[2])) for r in await session.execute(count_held)]
    invited = invitees(
        [
            *held(start, end),
            col(Meeting.group_id).in_(select(col(Group.id)).where(_unit_groups(kind, unit_id))),
        ]
    )
    answer = col(MeetingReply.answer)
    one = literal(1)
    attendance = (
        select(
            col(Meeting.group_id),
            func.count(),
            func.sum(case((answer == Answer.attending.value, one), else_=0)),
            func.sum(case((answer == Answer.excused.value, one), else_=0)),
            func.sum(case((answer.is_(None), one), else_=0)),
            func.sum(case((col(MeetingReply.checked_in_at).is_not(None), one), else_=0)),
        )
        .select_from(invited)
        .join(Meeting, col(Meeting.id) == invited.c.meeting_id)
        .outerjoin(MeetingReply, reply_of(invited))
        .group_by(col(Meeting.group_id))
    )
    figures: dict[int, tuple[int, int, int, int, int]] = {
        int(r[0]): (int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0), int(r[5] or 0))
        for r in await session.execute(attendance)
    }
    rows = []
    for group_id, name, count in groups:
        asked, attending, excused, silent, checked = figures.get(group_id, (0, 0, 0, 0, 0))
        rows.append((name, count, asked, attending, excused, silent, checked))
    return rows


# Units: what they are called, whose they are, and which there are --------------------------


async def unit_row(
    *, session: AsyncSession, kind: str, unit_id: int
) -> tuple[str, int | None] | None:
    """(name, delegation id) of the unit, or None when there is no such unit."""
    if kind == "delegation":
        delegation = await session.get(Delegation, unit_id)
        return None if delegation is None else (delegation.name, delegation.id)
    if kind == "group":
        group = await session.get(Group, unit_id)
        return None if group is None else (group.name, group.delegation_id)
    station = await session.get(Station, unit_id)
    return None if station is None else (station.name, station.delegation_id)


async def list_unit_rows(
    *,
    session: AsyncSession,
    kind: str,
    delegation_ids: frozenset[int] | None,
    also_ids: frozenset[int] = frozenset(),
) -> list[tuple[int, str, int | None]]:
    """(id, name, delegation id) of every unit of the kind within the delegations (None: all),
    and of the units ``also_ids`` wherever they are."""
    table: Any = {"delegation": Delegation, "group": Group, "station": Station}[kind]
    owner = table.id if kind == "delegation" else table.delegation_id
    statement = select(table.id, table.name, owner).order_by(table.name, table.id)
    if delegation_ids is not None:
        statement = statement.where(
            or_(owner.in_(sorted(delegation_ids)), table.id.in_(sorted(also_ids)))
        )
    return [(int(r[0]), r[1], r[2]) for r in await session.execute(statement)]


async def led_group_ids(*, session: AsyncSession, person_id: int) -> list[int]:
    """The groups the person leads (an active mandate marked group leader)."""
    statement = (
        select(col(Mandate.group_id))
        .where(col(Mandate.person_id) == person_id)
        .where(col(Mandate.active).is_(True))
        .where(col(Mandate.is_group_leader).is_(True))
        .where(col(Mandate.group_id).is_not(None))
        .order_by(col(Mandate.group_id))
    )
    return [int(value) for value in (await session.scalars(statement)).all() if value is not None]
