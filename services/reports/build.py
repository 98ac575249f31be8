"""A unit's report for a period: each table one aggregate query (storage.reports)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.dates import local_today
from services.reports.model import (
    AGE_BUCKETS,
    ConcernFigures,
    DutyRow,
    GroupMonthRow,
    MeetingRow,
    MissedDuty,
    PersonRow,
    ReadRow,
    Report,
    TypeRow,
    UnitKind,
)
from services.reports.period import parse_period
from services.reports.units import reachable_unit
from storage import reports as queries


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


async def build_report(
    *,
    session: AsyncSession,
    actor: Actor | None,
    kind: UnitKind,
    unit_id: int,
    period_code: str,
    now: datetime,
    tz: ZoneInfo,
) -> Report:
    """The report, after checking the period (not in the future) and that ``actor`` may see the
    unit (None: the command line)."""
    today = local_today(now, tz)
    period = parse_period(period_code, today=today)
    unit = await reachable_unit(session=session, actor=actor, kind=kind, unit_id=unit_id)
    start, end = _midnight(period.first, tz), _midnight(period.last + timedelta(days=1), tz)
    kind_name, first, last = kind.value, period.first, period.last
    types = await queries.activities_by_type(
        session=session, kind=kind_name, unit_id=unit_id, first=first, last=last
    )
    months = await queries.activities_by_group_month(
        session=session, kind=kind_name, unit_id=unit_id, first=first, last=last
    )
    people = await queries.people_points(
        session=session, kind=kind_name, unit_id=unit_id, first=first, last=last
    )
    duty = await queries.duty_by_station(
        session=session, kind=kind_name, unit_id=unit_id, first=first, last=last, today=today
    )
    missed = await queries.missed_duties(
        session=session, kind=kind_name, unit_id=unit_id, first=first, last=last, today=today
    )
    reads = await queries.read_rates(
        session=session, kind=kind_name, unit_id=unit_id, start=start, end=end
    )
    # Meetings still to come in the period are not held yet.
    meetings = await queries.meetings_by_group(
        session=session, kind=kind_name, unit_id=unit_id, start=start, end=min(end, now)
    )
    return Report(
        unit=unit,
        period=period,
        today=today,
        types=[TypeRow(*row) for row in types],
        group_months=[GroupMonthRow(*row) for row in months],
        people=[PersonRow(*row) for row in people],
        duty=[DutyRow(*row) for row in duty],
        missed=[MissedDuty(*row) for row in missed],
        concerns=await _concerns(session, kind, unit_id, start, end, today, tz),
        reads=[ReadRow(*row) for row in reads],
        meetings=[MeetingRow(*row) for row in meetings],
    )


async def _concerns(
    session: AsyncSession,
    kind: UnitKind,
    unit_id: int,
    start: datetime,
    end: datetime,
    today: date,
    tz: ZoneInfo,
) -> ConcernFigures:
    kind_name = kind.value
    by_state = await queries.concerns_received_by_state(
        session=session, kind=kind_name, unit_id=unit_id, start=start, end=end
    )
    finished = await queries.concerns_finished(
        session=session, kind=kind_name, unit_id=unit_id, start=start, end=end
    )
    # Ages in whole calendar days to today (services.concerns.listing.age_days): recorded on or
    # after the day `limit` days ago is at most `limit` days old.
    cutoffs = [_midnight(today - timedelta(days=limit), tz) for limit in AGE_BUCKETS]
    ages = await queries.open_concerns_by_age(
        session=session, kind=kind_name, unit_id=unit_id, end=end, cutoffs=cutoffs
    )
    return ConcernFigures(
        received=sum(by_state.values()),
        resolved=finished.get("resolved", 0),
        closed=finished.get("closed", 0),
        by_state=by_state,
        open_by_age=(ages[0], ages[1], ages[2], ages[3]),
    )
