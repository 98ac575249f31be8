"""A representative's duty record (履职档案) for one year, as plain frozen values.

Everything the XLSX and the PDF show is here, read once: the writers take a DutyRecord and touch
no database, so they can run in a thread or another process.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.labels import is_zh

QUARTERS = (1, 2, 3, 4)


@dataclass(frozen=True)
class MandateLine:
    delegation: str
    level: str  # storage.models.Level value
    term_number: int
    term_start: date | None
    term_end: date | None
    group: str | None
    is_group_leader: bool


class _TypeNames:
    """The type's name in the reader's language, for a row that holds both names."""

    type_zh: str
    type_en: str

    def type_name(self, locale: str) -> str:
        return self.type_zh if is_zh(locale) else self.type_en


@dataclass(frozen=True)
class ActivityLine(_TypeNames):
    day: date
    type_code: str
    type_zh: str
    type_en: str
    place: str | None
    summary: str
    # As stored when the activity was logged: a later change of the type's points shows nowhere.
    points: int
    for_bulletin: bool


@dataclass(frozen=True)
class TypePoints(_TypeNames):
    """One row of the points table: an activity type's count and points in each quarter."""

    type_code: str
    type_zh: str
    type_en: str
    count: int
    by_quarter: tuple[int, int, int, int]

    @property
    def total(self) -> int:
        return sum(self.by_quarter)


@dataclass(frozen=True)
class ConcernLine:
    """A concern as the record shows it; the constituent's contact is never part of it."""

    created_on: date
    changed_on: date
    category: str
    summary: str
    place: str | None
    state: str  # storage.duty_models.ConcernState value
    department: str | None


@dataclass(frozen=True)
class DutyRecord:
    person_id: int
    name: str
    year: int
    mandates: tuple[MandateLine, ...]
    activities: tuple[ActivityLine, ...]
    points_by_type: tuple[TypePoints, ...]
    points_by_quarter: tuple[int, int, int, int]
    concerns: tuple[ConcernLine, ...]

    @property
    def total_points(self) -> int:
        return sum(self.points_by_quarter)
