"""Tables of reminders: each person's reminder settings, and what fell due too late to send."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Integer, String
from sqlmodel import Field, SQLModel

from storage.delivery_models import DEDUPE_KEY_LIMIT
from storage.types import UTCDateTime, utcnow

KIND_LIMIT = 32


class ReminderSettings(SQLModel, table=True):
    """A person's own reminder settings; no row, or a None column: the defaults.

    `kinds` holds only what the person changed, per reminder kind: {"on": bool, "at": "HH:MM"}.
    Quiet hours are local times in TIMEZONE; muted and unavailable last to the end of the date.
    """

    person_id: int = Field(
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    )
    kinds: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    quiet_start: time | None = None
    quiet_end: time | None = None
    muted_until: date | None = None
    unavailable_until: date | None = None
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class MissedReminder(SQLModel, table=True):
    """A reminder whose useful time had passed before any planner could send it (the bot was
    down): recorded once per dedupe key, for staff to see."""

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(sa_column=Column(String(DEDUPE_KEY_LIMIT), unique=True, nullable=False))
    kind: str = Field(max_length=KIND_LIMIT, index=True)
    # Whom it was for: the audience as the delivery engine describes it, and the people listed.
    audience: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    person_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    due_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    useful_until: datetime = Field(sa_type=UTCDateTime, nullable=False)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class PlannerHint(SQLModel, table=True):
    """Until when a planner has nothing to do: its last full look found nothing due before
    `quiet_until`, so `tick` skips it until then. Every change that could bring a reminder
    earlier (a duty added or swapped, someone's settings, a calendar override) clears it and
    bumps `version`; a look that began before such a change does not set it."""

    planner: str = Field(max_length=64, primary_key=True)
    quiet_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = 0
