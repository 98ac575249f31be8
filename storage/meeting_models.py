"""Tables of the quarterly group meetings: the meeting, and each member's answer and check-in."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

TITLE_LIMIT = 128
PLACE_LIMIT = 256
AGENDA_LIMIT = 2000
REASON_LIMIT = 500


class MeetingState(StrEnum):
    scheduled = "scheduled"
    cancelled = "cancelled"


class Answer(StrEnum):
    attending = "attending"
    excused = "excused"


def _cascade(target: str, *, nullable: bool = False) -> Column[int]:
    return Column(Integer, ForeignKey(target, ondelete="CASCADE"), nullable=nullable)


class Meeting(SQLModel, table=True):
    """A group's meeting. `version` grows with every change of time or place: reminders are
    keyed with it, so those planned for the old time are cancelled and go out again."""

    __table_args__ = (
        Index("ix_meeting_starts", "state", "starts_at"),
        Index("ix_meeting_group_starts", "group_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(sa_column=_cascade("rep_group.id"))
    # The group's delegation, kept on the row for scope checks without a join.
    delegation_id: int = Field(foreign_key="delegation.id")
    title: str = Field(max_length=TITLE_LIMIT)
    starts_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    ends_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    place: str = Field(max_length=PLACE_LIMIT)
    # Only from a location shared in Telegram (WGS-84), never typed in.
    latitude: float | None = None
    longitude: float | None = None
    agenda: str | None = Field(default=None, sa_type=Text)
    organiser_person_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("person.id", ondelete="SET NULL"), nullable=True),
    )
    organiser_telegram_id: int = Field(sa_type=BigInteger)
    state: MeetingState = Field(default=MeetingState.scheduled, sa_type=String(16))
    checkin_code: str = Field(max_length=8)
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class MeetingReply(SQLModel, table=True):
    """A member's answer (attending, or excused with a reason), check-in and logged activity."""

    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id", name="uq_meetingreply_meeting_person"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(sa_column=_cascade("meeting.id"))
    person_id: int = Field(sa_column=_cascade("person.id"))
    answer: Answer | None = Field(default=None, sa_type=String(16))
    reason: str | None = Field(default=None, sa_type=Text)
    answered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    checked_in_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The group-meeting activity logged from the after-meeting prompt: a second tap saves none.
    activity_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("activity.id", ondelete="SET NULL"), nullable=True),
    )
