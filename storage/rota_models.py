"""Tables of the representative day: who is on duty at a station on a day, and the calendar's
admin overrides for dates the holiday package does not know."""

from __future__ import annotations

from datetime import date, time
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel


class DayKind(StrEnum):
    workday = "workday"
    holiday = "holiday"


class CalendarOverride(SQLModel, table=True):
    """An admin's word on one date: it wins over the holiday package and over Mon–Fri."""

    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    kind: DayKind = Field(sa_type=String(16))


class DutyAssignment(SQLModel, table=True):
    """One representative on duty at a station on a reception day, with the hours (local time)."""

    __table_args__ = (
        UniqueConstraint("station_id", "day", "person_id", name="uq_dutyassignment_station_day"),
        Index("ix_dutyassignment_day", "day", "station_id"),
        Index("ix_dutyassignment_person_day", "person_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    station_id: int = Field(
        sa_column=Column(Integer, ForeignKey("station.id", ondelete="CASCADE"), nullable=False)
    )
    day: date
    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), nullable=False)
    )
    starts_at: time
    ends_at: time
