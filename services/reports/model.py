"""What a report holds: plain figures, already aggregated by the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class UnitKind(StrEnum):
    delegation = "delegation"
    group = "group"
    station = "station"


@dataclass(frozen=True)
class Unit:
    kind: UnitKind
    id: int
    name: str
    # The delegation the unit belongs to (a station without one: None).
    delegation_id: int | None


@dataclass(frozen=True)
class Period:
    """Calendar days ``first`` to ``last``, both included, in the office's time zone."""

    first: date
    last: date
    # 2024Q1, 2024, or 2024-01-05..2024-02-20: how it is written in buttons and on the command line.
    code: str


@dataclass(frozen=True)
class TypeRow:
    code: str
    name_zh: str
    name_en: str
    count: int
    points: int


@dataclass(frozen=True)
class GroupMonthRow:
    group: str | None  # None: representatives in no group
    year: int
    month: int
    count: int
    points: int


@dataclass(frozen=True)
class PersonRow:
    person_id: int
    name: str
    group: str | None
    count: int
    points: int


@dataclass(frozen=True)
class DutyRow:
    station: str
    assigned: int  # duties (a representative on a day) in the period
    served: int  # a reception logged for the duty day
    missed: int  # a past duty day without one
    upcoming: int  # today or later: not yet served nor missed


@dataclass(frozen=True)
class MissedDuty:
    day: date
    station: str
    name: str


@dataclass(frozen=True)
class MeetingRow:
    group: str
    held: int  # meetings not cancelled that began in the period, by the time it was made
    invited: int  # invitations to them: attending + excused + no answer
    attending: int
    excused: int
    no_answer: int
    checked_in: int  # whatever they answered


# Open concerns by age in days: up to 7, 8 to 30, 31 to 90, more than 90.
AGE_BUCKETS = (7, 30, 90)


@dataclass(frozen=True)
class ConcernFigures:
    received: int  # recorded in the period
    resolved: int  # became resolved in the period
    closed: int  # closed (without a resolution) in the period
    # Concerns recorded in the period, by the state they are in now.
    by_state: dict[str, int] = field(default_factory=dict)
    # Concerns open now that were recorded by the period's end, by age (AGE_BUCKETS, then older).
    open_by_age: tuple[int, int, int, int] = (0, 0, 0, 0)

    @property
    def open(self) -> int:
        return sum(self.open_by_age)


@dataclass(frozen=True)
class ReadRow:
    year: int
    number: int
    title: str
    issued_on: date
    audience: int  # the unit's representatives it was delivered to
    read: int  # of them, those who tapped 已阅

    @property
    def rate(self) -> float:
        return self.read / self.audience if self.audience else 0.0


@dataclass(frozen=True)
class Report:
    unit: Unit
    period: Period
    # The day it was made: duty days from then on are upcoming, concern ages count to it.
    today: date
    types: list[TypeRow]
    group_months: list[GroupMonthRow]
    # Every representative of the unit (active mandates), most points first; idle ones included.
    people: list[PersonRow]
    duty: list[DutyRow]
    missed: list[MissedDuty]
    concerns: ConcernFigures
    reads: list[ReadRow]
    # Each of the unit's groups, those that did not meet included.
    meetings: list[MeetingRow] = field(default_factory=list)

    @property
    def activities(self) -> int:
        return sum(row.count for row in self.types)

    @property
    def points(self) -> int:
        return sum(row.points for row in self.types)

    @property
    def idle(self) -> list[PersonRow]:
        """Representatives who logged nothing in the period."""
        return [row for row in self.people if row.count == 0]

    @property
    def meetings_held(self) -> int:
        return sum(row.held for row in self.meetings)

    @property
    def empty(self) -> bool:
        """Nothing at all happened in the unit in the period."""
        return not (
            self.types
            or self.meetings_held
            or self.duty
            or self.concerns.received
            or self.concerns.resolved
            or self.concerns.closed
            or self.reads
        )
