"""A station's reception weekday, hours, address and location, as staff set them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import time

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import BadInput, DomainError
from services.i18n_marks import N_
from storage.models import Station
from storage.rota import find_station

ADDRESS_LIMIT = 256
WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))
BAD_LOCATION = N_("The location {value} is not like 34.6197,112.4539.")
LONG_ADDRESS = N_("The address is longer than {limit} characters.")
_HOURS = re.compile(r"^(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})$")


@dataclass(frozen=True)
class StationChange:
    weekday: int | None = None
    hours: tuple[time, time] | None = None
    address: str | None = None
    location: tuple[float, float] | None = None


def parse_hours(text: str) -> tuple[time, time]:
    match = _HOURS.match(unicodedata.normalize("NFKC", text).replace(" ", ""))
    try:
        if match:
            start = time(int(match[1]), int(match[2]))
            end = time(int(match[3]), int(match[4]))
            if start < end:
                return start, end
    except ValueError:
        pass
    raise BadInput(N_("The hours {value} are not like 09:00-12:00."), value=text[:40])


def parse_location(text: str) -> tuple[float, float]:
    try:
        lat, lon = (float(part) for part in text.replace("，", ",").split(","))
    except ValueError:
        raise BadInput(
            N_("The location {value} is not like 34.6197,112.4539."), value=text[:40]
        ) from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise BadInput(BAD_LOCATION, value=text[:40])
    return lat, lon


async def update_station(*, session: AsyncSession, name: str, change: StationChange) -> Station:
    station = await find_station(session=session, name=name)
    if station is None:
        raise DomainError(N_("There is no station named {station}."), station=name)
    if change.weekday is not None:
        station.reception_weekday = change.weekday
    if change.hours is not None:
        station.reception_start, station.reception_end = change.hours
    if change.address is not None:
        if len(change.address) > ADDRESS_LIMIT:
            raise BadInput(
                N_("The address is longer than {limit} characters."), limit=ADDRESS_LIMIT
            )
        station.address = " ".join(change.address.split()) or None
    if change.location is not None:
        station.latitude, station.longitude = change.location
    session.add(station)
    await session.flush()
    return station


async def set_location(
    *, session: AsyncSession, station: Station, latitude: float, longitude: float
) -> Station:
    """The location staff shared from Telegram (WGS-84), sent with the evening-before notice."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise BadInput(BAD_LOCATION, value=f"{latitude},{longitude}")
    station.latitude, station.longitude = latitude, longitude
    session.add(station)
    await session.flush()
    return station
