"""Who may see what of the duty roster: staff the stations of their delegations, a
representative their own duties. Out of scope reads as not found, never as forbidden."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import NotFound
from storage.models import Station
from storage.rota import RECEPTION_CODE, get_duty, get_station, list_stations, type_by_code
from storage.rota_models import DutyAssignment


def in_scope(station: Station, scope: frozenset[int] | None) -> bool:
    """None is every delegation; a station of no delegation is seen by those staff only."""
    return scope is None or (station.delegation_id is not None and station.delegation_id in scope)


async def stations_in_scope(
    *, session: AsyncSession, scope: frozenset[int] | None
) -> list[Station]:
    return await list_stations(session=session, delegation_ids=scope)


async def station_in_scope(
    *, session: AsyncSession, scope: frozenset[int] | None, station_id: int
) -> Station:
    station = await get_station(session=session, station_id=station_id)
    if station is None or not in_scope(station, scope):
        raise NotFound()
    return station


async def duty_in_station(
    *, session: AsyncSession, station: Station, duty_id: int
) -> DutyAssignment:
    duty = await get_duty(session=session, duty_id=duty_id)
    if duty is None or duty.station_id != station.id:
        raise NotFound()
    return duty


async def own_duty(
    *, session: AsyncSession, person_id: int | None, duty_id: int
) -> tuple[DutyAssignment, Station]:
    duty = await get_duty(session=session, duty_id=duty_id)
    if duty is None or person_id is None or duty.person_id != person_id:
        raise NotFound()
    station = await get_station(session=session, station_id=duty.station_id)
    if station is None:
        raise NotFound()
    return duty, station


async def reception_type_name(*, session: AsyncSession) -> str | None:
    """The reception type's Chinese name, which a quick /log entry reads in any language."""
    kind = await type_by_code(session=session, code=RECEPTION_CODE)
    return kind.name_zh if kind is not None and kind.active else None
