"""Queries of the representative day: calendar overrides and the duty roster."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.delivery_models import Delivery
from storage.duty_models import Activity, ActivityType
from storage.models import Mandate, Person, Station
from storage.rota_models import CalendarOverride, DayKind, DutyAssignment
from storage.scheduling import wake_planners

# The activity type a representative day's reception is logged as (seeded by migration 0008).
RECEPTION_CODE = "reception"
# Ids or keys per IN (…): under both drivers' limits on bound parameters.
IDS_PER_QUERY = 10_000


async def get_override(*, session: AsyncSession, day: date) -> CalendarOverride | None:
    result = await session.execute(select(CalendarOverride).where(CalendarOverride.day == day))
    return result.scalar_one_or_none()


async def list_overrides(
    *, session: AsyncSession, first: date, last: date
) -> list[CalendarOverride]:
    result = await session.execute(
        select(CalendarOverride)
        .where(CalendarOverride.day >= first, CalendarOverride.day <= last)
        .order_by(col(CalendarOverride.day))
    )
    return list(result.scalars())


async def set_override(*, session: AsyncSession, day: date, kind: DayKind) -> CalendarOverride:
    row = await get_override(session=session, day=day)
    if row is None:
        row = CalendarOverride(day=day, kind=kind)
    row.kind = kind
    session.add(row)
    await session.flush()
    await wake_planners(session=session)
    return row


async def clear_override(*, session: AsyncSession, day: date) -> bool:
    result = await session.execute(delete(CalendarOverride).where(col(CalendarOverride.day) == day))
    await wake_planners(session=session)
    return bool(getattr(result, "rowcount", 0))


async def get_station(*, session: AsyncSession, station_id: int) -> Station | None:
    return await session.get(Station, station_id)


async def find_station(*, session: AsyncSession, name: str) -> Station | None:
    result = await session.execute(select(Station).where(Station.name == name))
    return result.scalar_one_or_none()


async def list_stations(
    *, session: AsyncSession, delegation_ids: frozenset[int] | None = None
) -> list[Station]:
    query = select(Station).order_by(col(Station.name))
    if delegation_ids is not None:
        query = query.where(col(Station.delegation_id).in_(sorted(delegation_ids)))
    return list((await session.execute(query)).scalars())


async def station_representatives(*, session: AsyncSession, station_id: int) -> list[Person]:
    """People with an active mandate assigned to the station, in a stable order (by id)."""
    result = await session.execute(
        select(Person)
        .join(Mandate, col(Mandate.person_id) == col(Person.id))
        .where(Mandate.station_id == station_id, col(Mandate.active).is_(True))
        .order_by(col(Person.id))
        .distinct()
    )
    return list(result.scalars())


async def people_by_name(*, session: AsyncSession, names: Iterable[str]) -> list[Person]:
    wanted = sorted(set(names))
    if not wanted:
        return []
    result = await session.execute(select(Person).where(col(Person.name).in_(wanted)))
    return list(result.scalars())


async def duties_between(
    *,
    session: AsyncSession,
    first: date,
    last: date,
    station_id: int | None = None,
    person_id: int | None = None,
) -> list[DutyAssignment]:
    query = select(DutyAssignment).where(DutyAssignment.day >= first, DutyAssignment.day <= last)
    if station_id is not None:
        query = query.where(DutyAssignment.station_id == station_id)
    if person_id is not None:
        query = query.where(DutyAssignment.person_id == person_id)
    query = query.order_by(
        col(DutyAssignment.day), col(DutyAssignment.station_id), col(DutyAssignment.id)
    )
    return list((await session.execute(query)).scalars())


async def duties_on(*, session: AsyncSession, day: date) -> list[DutyAssignment]:
    return await duties_between(session=session, first=day, last=day)


async def add_duties(*, session: AsyncSession, duties: Sequence[DutyAssignment]) -> None:
    session.add_all(duties)
    await session.flush()
    await wake_planners(session=session)


async def get_duty(*, session: AsyncSession, duty_id: int) -> DutyAssignment | None:
    return await session.get(DutyAssignment, duty_id)


async def reception_logged(*, session: AsyncSession, person_id: int, day: date) -> bool:
    """Whether the person has a live reception activity on the day."""
    result = await session.execute(
        select(Activity.id)
        .join(ActivityType, col(ActivityType.id) == col(Activity.type_id))
        .where(
            Activity.person_id == person_id,
            Activity.happened_on == day,
            ActivityType.code == RECEPTION_CODE,
            col(Activity.deleted_at).is_(None),
        )
        .limit(1)
    )
    return result.first() is not None


async def receptions_logged(
    *, session: AsyncSession, person_ids: Collection[int], first: date, last: date
) -> set[tuple[int, date]]:
    """(person id, day) of every live reception activity of these people in the range."""
    found: set[tuple[int, date]] = set()
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), IDS_PER_QUERY):
        result = await session.execute(
            select(col(Activity.person_id), col(Activity.happened_on))
            .join(ActivityType, col(ActivityType.id) == col(Activity.type_id))
            .where(
                col(Activity.person_id).in_(ids[start : start + IDS_PER_QUERY]),
                col(Activity.happened_on) >= first,
                col(Activity.happened_on) <= last,
                ActivityType.code == RECEPTION_CODE,
                col(Activity.deleted_at).is_(None),
            )
        )
        found.update((row[0], row[1]) for row in result.all())
    return found


async def on_roster(*, session: AsyncSession, person_ids: Collection[int]) -> set[int]:
    """Those of these people who still hold an active mandate (not removed from the roster)."""
    found: set[int] = set()
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), IDS_PER_QUERY):
        result = await session.execute(
            select(Mandate.person_id)
            .where(
                col(Mandate.person_id).in_(ids[start : start + IDS_PER_QUERY]),
                col(Mandate.active).is_(True),
            )
            .distinct()
        )
        found.update(result.scalars())
    return found


async def stations_of(*, session: AsyncSession, person_ids: Collection[int]) -> dict[int, set[int]]:
    """The stations of each person's active mandates, by person id (none: left out)."""
    found: dict[int, set[int]] = {}
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), IDS_PER_QUERY):
        result = await session.execute(
            select(col(Mandate.person_id), col(Mandate.station_id)).where(
                col(Mandate.person_id).in_(ids[start : start + IDS_PER_QUERY]),
                col(Mandate.active).is_(True),
                col(Mandate.station_id).is_not(None),
            )
        )
        for person_id, station_id in result.all():
            if station_id is not None:
                found.setdefault(person_id, set()).add(station_id)
    return found


async def stations_by_id(*, session: AsyncSession, ids: Collection[int]) -> dict[int, Station]:
    if not ids:
        return {}
    result = await session.execute(select(Station).where(col(Station.id).in_(sorted(set(ids)))))
    return {station.id: station for station in result.scalars() if station.id is not None}


async def delivery_keys(*, session: AsyncSession, keys: Sequence[str]) -> set[str]:
    """Those of `keys` already queued as deliveries."""
    found: set[str] = set()
    wanted = list(keys)
    for start in range(0, len(wanted), IDS_PER_QUERY):
        result = await session.execute(
            select(Delivery.dedupe_key).where(
                col(Delivery.dedupe_key).in_(wanted[start : start + IDS_PER_QUERY])
            )
        )
        found.update(result.scalars())
    return found


async def mandates_of(
    *, session: AsyncSession, person_ids: Sequence[int]
) -> dict[int, list[Mandate]]:
    found: dict[int, list[Mandate]] = {}
    if not person_ids:
        return found
    result = await session.execute(
        select(Mandate).where(col(Mandate.person_id).in_(sorted(set(person_ids))))
    )
    for mandate in result.scalars():
        found.setdefault(mandate.person_id, []).append(mandate)
    return found


async def people_by_id(*, session: AsyncSession, ids: Sequence[int]) -> dict[int, str]:
    """Names by person id."""
    if not ids:
        return {}
    result = await session.execute(
        select(Person.id, Person.name).where(col(Person.id).in_(sorted(set(ids))))
    )
    return {row[0]: row[1] for row in result.all()}


async def type_by_code(*, session: AsyncSession, code: str) -> ActivityType | None:
    result = await session.execute(select(ActivityType).where(ActivityType.code == code))
    return result.scalar_one_or_none()


async def deliveries_with_keys(*, session: AsyncSession, keys: Sequence[str]) -> list[Delivery]:
    if not keys:
        return []
    result = await session.execute(select(Delivery).where(col(Delivery.dedupe_key).in_(list(keys))))
    return list(result.scalars())
