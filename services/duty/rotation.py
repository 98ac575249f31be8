"""A fair round-robin over a station's representatives, on its reception days only."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import DomainError
from services.i18n_marks import N_
from services.workdays import is_reception_day
from storage.models import Station
from storage.rota import add_duties, duties_between, station_representatives
from storage.rota_models import DutyAssignment
from storage.scheduling import reminder_rows

# A person id and a day: True when the person cannot take a duty that day.
Unavailable = Callable[[int, date], bool]
MAX_WEEKS = 104


class NobodyToRotate(DomainError):
    message = N_("No representative is assigned to the station {station}.")


def _as_check(unavailable: Unavailable | Collection[int]) -> Unavailable:
    if callable(unavailable):
        return unavailable
    ids = frozenset(unavailable)
    return lambda person_id, _day: person_id in ids


async def rotate(
    *,
    session: AsyncSession,
    station: Station,
    start: date,
    weeks: int,
    unavailable: Unavailable | Collection[int] = frozenset(),
    dry_run: bool = False,
    until: date | None = None,
) -> list[DutyAssignment]:
    """One representative on duty on each reception day of the `weeks` weeks from `start`.

    The turn goes on from whoever was last on duty at the station before `start`, so running
    it month after month keeps the order fair; a holiday is skipped, a day that has a duty
    already is left as it is, and a person who is unavailable that day (`unavailable`, or
    "unavailable until" in their /reminders) waits for the next turn.
    """
    if not 1 <= weeks <= MAX_WEEKS:
        raise DomainError(N_("The number of weeks must be between 1 and {limit}."), limit=MAX_WEEKS)
    assert station.id is not None  # noqa: S101 - a stored station
    people = [p.id for p in await station_representatives(session=session, station_id=station.id)]
    order = [pid for pid in people if pid is not None]
    if not order:
        raise NobodyToRotate(station=station.name)
    is_out = _as_check(unavailable)
    # "Unavailable until" in /reminders (travel, illness) also takes a person out of the turn.
    away = {
        person_id: row.unavailable_until
        for person_id, row in (await reminder_rows(session=session, person_ids=order)).items()
        if row.unavailable_until is not None
    }

    def out(person_id: int, day: date) -> bool:
        last = away.get(person_id)
        return is_out(person_id, day) or (last is not None and day <= last)

    before = await duties_between(
        session=session,
        first=start - timedelta(days=366),
        last=start - timedelta(days=1),
        station_id=station.id,
    )
    pointer = 0
    if before and before[-1].person_id in order:
        pointer = order.index(before[-1].person_id) + 1
    first = start + timedelta(days=(station.reception_weekday - start.weekday()) % 7)
    end = start + timedelta(weeks=weeks)
    if until is not None:
        end = min(end, until + timedelta(days=1))
    taken = {
        duty.day
        for duty in await duties_between(
            session=session, first=first, last=end, station_id=station.id
        )
    }
    planned: list[DutyAssignment] = []
    day = first
    while day < end:
        if day not in taken and await is_reception_day(session, station, day):
            for step in range(len(order)):
                person_id = order[(pointer + step) % len(order)]
                if not out(person_id, day):
                    planned.append(
                        DutyAssignment(
                            station_id=station.id,
                            day=day,
                            person_id=person_id,
                            starts_at=station.reception_start,
                            ends_at=station.reception_end,
                        )
                    )
                    pointer = (pointer + step + 1) % len(order)
                    break
        day += timedelta(days=7)
    if not dry_run:
        await add_duties(session=session, duties=planned)
    return planned
