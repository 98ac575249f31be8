"""A station's month of duty, a representative's coming duties, and swapping two duties."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TemplateContent
from services.duty import templates
from services.duty.planner import REMINDER_KINDS, cancel_queued, duty_key
from services.duty.rotation import rotate
from services.errors import DomainError, NotFound
from services.i18n_marks import N_
from services.workdays import month_days
from storage.models import Station
from storage.rota import (
    duties_between,
    get_duty,
    get_station,
    people_by_id,
)
from storage.rota_models import DutyAssignment
from storage.scheduling import wake_planners


@dataclass(frozen=True)
class DayOfDuty:
    day: date
    reception: bool
    people: tuple[tuple[DutyAssignment, str], ...]


async def month_of(
    *, session: AsyncSession, station: Station, year: int, month: int
) -> list[DayOfDuty]:
    """The station's reception days of the month and any other day someone is on duty."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    working = await month_days(session, first, last)
    duties = await duties_between(session=session, first=first, last=last, station_id=station.id)
    names = await people_by_id(session=session, ids=[d.person_id for d in duties])
    days = []
    for day, works in working.items():
        reception = works and day.weekday() == station.reception_weekday
        here = tuple((d, names.get(d.person_id, "?")) for d in duties if d.day == day)
        if reception or here:
            days.append(DayOfDuty(day, reception, here))
    return days


async def coming_duties(
    *, session: AsyncSession, person_id: int, today: date, days: int = 92
) -> list[tuple[DutyAssignment, Station]]:
    duties = await duties_between(
        session=session,
        first=today,
        last=date.fromordinal(today.toordinal() + days),
        person_id=person_id,
    )
    found = []
    for duty in duties:
        station = await get_station(session=session, station_id=duty.station_id)
        if station is not None:
            found.append((duty, station))
    return found


class CannotSwap(DomainError):
    message = N_("These two duties cannot be swapped.")


async def swap_duties(
    *, session: AsyncSession, first_id: int, second_id: int, today: date, now: datetime
) -> tuple[DutyAssignment, DutyAssignment]:
    """The two people exchange their duty days at one station; both are told."""
    first = await get_duty(session=session, duty_id=first_id)
    second = await get_duty(session=session, duty_id=second_id)
    if first is None or second is None:
        raise NotFound()
    if (
        first.station_id != second.station_id
        or first.person_id == second.person_id
        or first.day == second.day
        or min(first.day, second.day) < today
    ):
        raise CannotSwap()
    clash = await duties_between(
        session=session,
        first=first.day,
        last=first.day,
        station_id=first.station_id,
        person_id=second.person_id,
    ) + await duties_between(
        session=session,
        first=second.day,
        last=second.day,
        station_id=first.station_id,
        person_id=first.person_id,
    )
    if clash:
        raise CannotSwap(N_("One of them is on duty on the other day already."))
    await _cancel_reminders(session, (first, second), now)
    # Each keeps their row and takes the other's day and hours.
    first.day, second.day = second.day, first.day
    first.starts_at, second.starts_at = second.starts_at, first.starts_at
    first.ends_at, second.ends_at = second.ends_at, first.ends_at
    session.add_all([first, second])
    await session.flush()
    await wake_planners(session=session)
    station = await get_station(session=session, station_id=first.station_id)
    assert station is not None  # noqa: S101 - the duty's station
    stamp = now.strftime("%Y%m%dT%H%M%S")
    for duty in (first, second):
        await enqueue(
            session=session,
            dedupe_key=f"duty:swap:{duty.id}:person{duty.person_id}:{stamp}",
            audience=People((duty.person_id,)),
            content=TemplateContent(templates.SWAPPED, templates.params(duty, station)),
            not_before=now,
        )
    return first, second


async def _cancel_reminders(
    session: AsyncSession, duties: tuple[DutyAssignment, ...], now: datetime
) -> None:
    """Reminders queued for the days the two leave and not sent yet are cancelled."""
    keys = [duty_key(duty, kind) for duty in duties for kind in REMINDER_KINDS]
    await cancel_queued(session=session, keys=keys, now=now)


async def rotate_month(
    *, session: AsyncSession, station: Station, year: int, month: int, today: date, dry_run: bool
) -> list[tuple[DutyAssignment, str]]:
    """The rotation over the rest of a month (from today on), with the names."""
    first = max(date(year, month, 1), today)
    last = date(year, month, calendar.monthrange(year, month)[1])
    if first > last:
        return []
    planned = await rotate(
        session=session,
        station=station,
        start=first,
        weeks=(last - first).days // 7 + 1,
        until=last,
        dry_run=dry_run,
    )
    names = await people_by_id(session=session, ids=[d.person_id for d in planned])
    return [(duty, names.get(duty.person_id, "?")) for duty in planned]
