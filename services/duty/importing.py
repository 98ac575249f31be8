"""Duty roster files (station, date, representative, hours): read safely, checked row by row,
stored all or nothing.

A representative may be put on duty at a station when they hold an active mandate assigned to
that station, or in the delegation the station belongs to (staff may ask any representative of
the delegation to take a turn); anyone else is refused with the row number, as is a date that is
not the station's reception weekday or not a working day, and an unknown station or name.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from services.duty.stations import parse_hours
from services.errors import BadInput
from services.i18n_marks import N_
from services.roster import cells
from services.roster.errors import RosterProblem
from services.roster.grid import CellValue, is_blank
from services.roster.headers import header_key
from services.roster.models import FILE_LEVEL, RowError
from services.roster.reader import read_sheet
from services.workdays import is_reception_day
from storage.models import Mandate, Station
from storage.rota import (
    add_duties,
    duties_between,
    find_station,
    mandates_of,
    people_by_name,
)
from storage.rota_models import DutyAssignment

_COLUMNS = {
    "station": "联络站|站点|代表联络站|station|liaison station",
    "date": "日期|值班日期|date|day",
    "name": "代表|代表姓名|姓名|值班代表|representative|name",
    "hours": "时间|值班时间|接待时间|hours|time",
}
_LOOKUP = {header_key(a): col for col, aliases in _COLUMNS.items() for a in aliases.split("|")}
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")


@dataclass(frozen=True)
class DutyRow:
    row: int
    station: str
    day: date
    name: str
    hours: tuple[time, time] | None


@dataclass
class DutyImport:
    errors: list[RowError] = field(default_factory=list)
    duties: list[DutyAssignment] = field(default_factory=list)
    stored: bool = False


def parse_duty_file(data: bytes, filename: str) -> tuple[list[DutyRow], list[RowError]]:
    """The rows of a duty file, or the reasons (with row numbers) it cannot be read."""
    try:
        sheet = read_sheet(data, filename)
    except RosterProblem as exc:
        return [], [RowError(FILE_LEVEL, exc.message, exc.params)]
    rows = [(number, cells_) for number, cells_ in sheet.rows if not is_blank(cells_)]
    if not rows:
        return [], [
            RowError(FILE_LEVEL, N_("The file {filename} is empty."), {"filename": filename})
        ]
    header_number, header = rows[0]
    positions = {}
    for index, title in enumerate(header):
        column = _LOOKUP.get(header_key(str(title or "")))
        if column and column not in positions:
            positions[column] = index
    missing = [c for c in ("station", "date", "name") if c not in positions]
    if missing:
        return [], [
            RowError(
                header_number,
                N_("The first row must name the columns station, date and representative."),
            )
        ]
    parsed: list[DutyRow] = []
    errors: list[RowError] = []
    for number, values in rows[1:]:
        try:
            parsed.append(_row(number, values, positions))
        except RosterProblem as exc:
            errors.append(RowError(number, exc.message, exc.params))
    return parsed, errors


def _cell(values: Sequence[CellValue], positions: dict[str, int], column: str) -> CellValue:
    index = positions.get(column)
    return values[index] if index is not None and index < len(values) else None


def _row(number: int, values: Sequence[CellValue], positions: dict[str, int]) -> DutyRow:
    station = cells.text(_cell(values, positions, "station"))
    name = cells.name(_cell(values, positions, "name"))
    if not station or not name:
        raise RosterProblem(N_("The station or the representative is missing."))
    return DutyRow(
        number, station, _day(_cell(values, positions, "date")), name, _hours(values, positions)
    )


def _day(value: CellValue) -> date:
    raw = cells.usable(value)
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    match = _DATE.match(unicodedata.normalize("NFKC", str(raw or "")).strip())
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise RosterProblem(
        N_("The date {value} is not a date like 2024-03-20."), {"value": str(raw)[:40]}
    )


def _hours(values: Sequence[CellValue], positions: dict[str, int]) -> tuple[time, time] | None:
    raw = cells.text(_cell(values, positions, "hours"))
    if not raw:
        return None
    try:
        return parse_hours(raw)
    except BadInput as exc:
        raise RosterProblem(exc.message, exc.params) from None


async def import_duty(
    *, session: AsyncSession, rows: Sequence[DutyRow], errors: Sequence[RowError], dry_run: bool
) -> DutyImport:
    """Check every row against the stations, people and calendar; store them all, or nothing if
    any row (or the file) is wrong."""
    result = DutyImport(errors=list(errors))
    stations: dict[str, Station | None] = {}
    people = await people_by_name(session=session, names=[row.name for row in rows])
    by_name: dict[str, list[int]] = {}
    for person in people:
        assert person.id is not None  # noqa: S101 - stored rows have ids
        by_name.setdefault(person.name, []).append(person.id)
    mandates = await mandates_of(session=session, person_ids=[p.id for p in people if p.id])
    seen: set[tuple[int, date, int]] = set()
    for row in rows:
        if row.station not in stations:
            stations[row.station] = await find_station(session=session, name=row.station)
        station = stations[row.station]
        problem = await _check(session, row, station, by_name.get(row.name, []), mandates)
        if problem is not None:
            result.errors.append(problem)
            continue
        if station is None or station.id is None:  # refused by _check already
            continue
        person_id = by_name[row.name][0]
        key = (station.id, row.day, person_id)
        if key in seen or await duties_between(
            session=session, first=row.day, last=row.day, station_id=station.id, person_id=person_id
        ):
            result.errors.append(
                RowError(
                    row.row,
                    N_("{name} is on duty at {station} on {day} already."),
                    {"name": row.name, "station": row.station, "day": row.day.isoformat()},
                )
            )
            continue
        seen.add(key)
        start, end = row.hours or (station.reception_start, station.reception_end)
        result.duties.append(
            DutyAssignment(
                station_id=station.id,
                day=row.day,
                person_id=person_id,
                starts_at=start,
                ends_at=end,
            )
        )
    if not result.errors and not dry_run:
        await add_duties(session=session, duties=result.duties)
        result.stored = True
    result.errors.sort(key=lambda error: error.row)
    return result


async def _check(
    session: AsyncSession,
    row: DutyRow,
    station: Station | None,
    person_ids: list[int],
    mandates: dict[int, list[Mandate]],
) -> RowError | None:
    if station is None:
        return RowError(
            row.row, N_("There is no station named {station}."), {"station": row.station}
        )
    if not person_ids:
        return RowError(row.row, N_("There is no representative named {name}."), {"name": row.name})
    if len(person_ids) > 1:
        return RowError(
            row.row,
            N_("Several people are named {name}; keep one of them here."),
            {"name": row.name},
        )
    if not may_serve(station, mandates.get(person_ids[0], [])):
        return RowError(
            row.row,
            N_("{name} is not a representative of the delegation of {station}."),
            {"name": row.name, "station": row.station},
        )
    if not await is_reception_day(session, station, row.day):
        return RowError(
            row.row,
            N_("{day} is not a reception day of {station} (its weekday, and a working day)."),
            {"day": row.day.isoformat(), "station": row.station},
        )
    return None


def may_serve(station: Station, mandates: Sequence[Mandate]) -> bool:
    return any(
        m.active
        and (
            m.station_id == station.id
            or (station.delegation_id is not None and m.delegation_id == station.delegation_id)
        )
        for m in mandates
    )
