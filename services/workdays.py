"""The working-day calendar used everywhere: admin overrides first, then the Chinese public
holidays and 调休 working weekends of `chinese-calendar`, then Monday to Friday for a year the
package does not know yet (said once in the log)."""

from __future__ import annotations

import logging
from datetime import date

import chinese_calendar
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Station
from storage.rota import get_override, list_overrides
from storage.rota_models import DayKind

logger = logging.getLogger(__name__)
_unknown_years_said: set[int] = set()


def package_knows(day: date) -> bool | None:
    """The package's answer (True: a working day), or None for a year it has no data for."""
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def _fallback(day: date) -> bool:
    if day.year not in _unknown_years_said:
        _unknown_years_said.add(day.year)
        logger.warning(
            "The holiday calendar has no data for %s; Monday to Friday are taken as working days "
            "until an admin sets the holidays (python -m bot calendar set DATE workday|holiday)",
            day.year,
        )
    return day.weekday() < 5


async def is_working_day(session: AsyncSession, day: date) -> bool:
    override = await get_override(session=session, day=day)
    if override is not None:
        return override.kind == DayKind.workday
    known = package_knows(day)
    return _fallback(day) if known is None else known


async def is_reception_day(session: AsyncSession, station: Station, day: date) -> bool:
    """The station's reception weekday, when that day is a working day."""
    return day.weekday() == station.reception_weekday and await is_working_day(session, day)


async def month_days(session: AsyncSession, first: date, last: date) -> dict[date, bool]:
    """Working or not for each day of a range, overrides read once."""
    overrides = {
        row.day: row.kind == DayKind.workday
        for row in await list_overrides(session=session, first=first, last=last)
    }
    days: dict[date, bool] = {}
    current = first
    while current <= last:
        if current in overrides:
            days[current] = overrides[current]
        else:
            known = package_knows(current)
            days[current] = _fallback(current) if known is None else known
        current = date.fromordinal(current.toordinal() + 1)
    return days
