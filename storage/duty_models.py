"""Tables of what representatives do in office: duty activities and constituents' concerns."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Text, text
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

# Limits of what is stored, shared by the checks in services and the columns here.
PLACE_LIMIT = 256
ATTACHMENT_LIMIT = 10
DEPARTMENT_LIMIT = 128
CONSTITUENT_NAME_LIMIT = 64
CONSTITUENT_PHONE_LIMIT = 32


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


def _cascade(target: str, *, index: bool = True) -> Any:
    return Field(
        sa_column=Column(
            Integer, ForeignKey(target, ondelete="CASCADE"), index=index, nullable=False
        )
    )


class ActivityType(SQLModel, table=True):
    """A kind of duty activity and the points it earns now; seeded by migration 0008."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=32, unique=True)
    name_zh: str = Field(max_length=32)
    name_en: str = Field(max_length=64)
    # Words that name the type in a quick entry (/log 视察 ...), besides the two names.
    aliases: list[str] = Field(default_factory=list, sa_type=JSON)
    points: int = Field(ge=0, le=1000)
    position: int = 0
    active: bool = True


class Activity(SQLModel, table=True):
    """One duty activity. ``points`` is what the type earned when it was logged: changing a
    type's points later does not rescore the past (only ``activities rescore`` does)."""

    __table_args__ = (
        Index("ix_activity_person_day", "person_id", "happened_on", "id"),
        Index("ix_activity_person_type_day", "person_id", "type_id", "happened_on", "id"),
        Index("ix_activity_delegation_day", "delegation_id", "happened_on"),
        # Live entries only, covering what /my counts and sums (migration 0009 says why).
        Index(
            "ix_activity_person_live",
            "person_id",
            "happened_on",
            "id",
            "type_id",
            "points",
            "deleted_at",
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _cascade("person.id", index=False)
    mandate_id: int = _cascade("mandate.id")
    # The mandate's delegation, kept on the row so that scope checks and reports need no join.
    delegation_id: int = Field(foreign_key="delegation.id")
    type_id: int = Field(foreign_key="activitytype.id")
    points: int = Field(ge=0, le=1000)
    happened_on: date
    place: str | None = Field(default=None, max_length=PLACE_LIMIT)
    latitude: float | None = None
    longitude: float | None = None
    summary: str = Field(sa_type=Text)
    for_bulletin: bool = False
    bulletin_note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = _created()
    updated_at: datetime = _created()
    # Soft delete: the representative no longer sees it; staff see it, marked.
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AttachmentKind(StrEnum):
    photo = "photo"
    document = "document"


class ActivityAttachment(SQLModel, table=True):
    """A photo or document of an activity: Telegram's file id only, nothing is downloaded."""

    id: int | None = Field(default=None, primary_key=True)
    activity_id: int = _cascade("activity.id")
    kind: AttachmentKind = Field(sa_type=String(16))
    file_id: str = Field(max_length=256)
    file_unique_id: str | None = Field(default=None, max_length=128)
    file_name: str | None = Field(default=None, max_length=256)
    position: int = 0


class ConcernState(StrEnum):
    received = "received"
    forwarded = "forwarded"
    answered = "answered"
    resolved = "resolved"
    closed = "closed"


class Concern(SQLModel, table=True):
    """A constituent's concern (社情民意) that a representative recorded and follows up."""

    __table_args__ = (
        Index("ix_concern_person_state", "person_id", "state", "created_at"),
        Index("ix_concern_delegation_state", "delegation_id", "state", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = _cascade("person.id", index=False)
    mandate_id: int = _cascade("mandate.id")
    delegation_id: int = Field(foreign_key="delegation.id")
    # The reception it came from, when it was recorded right after logging one.
    activity_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("activity.id", ondelete="SET NULL"), nullable=True),
    )
    category: str = Field(max_length=32)
    summary: str = Field(sa_type=Text)
    place: str | None = Field(default=None, max_length=PLACE_LIMIT)
    photo_file_id: str | None = Field(default=None, max_length=256)
    # The constituent's contact is kept only with their consent, recorded with the concern.
    consent: bool = False
    consent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    constituent_name: str | None = Field(default=None, max_length=CONSTITUENT_NAME_LIMIT)
    constituent_phone: str | None = Field(default=None, max_length=CONSTITUENT_PHONE_LIMIT)
    contact_erased_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    state: ConcernState = Field(default=ConcernState.received, sa_type=String(16))
    department: str | None = Field(default=None, max_length=DEPARTMENT_LIMIT)
    created_at: datetime = _created()
    # Last change of state (or creation): the follow-up reminder counts from here.
    touched_at: datetime = _created()


class ConcernEvent(SQLModel, table=True):
    """One dated step of a concern's timeline."""

    id: int | None = Field(default=None, primary_key=True)
    concern_id: int = _cascade("concern.id")
    state: ConcernState = Field(sa_type=String(16))
    note: str | None = Field(default=None, sa_type=Text)
    department: str | None = Field(default=None, max_length=DEPARTMENT_LIMIT)
    at: datetime = _created()
    actor_telegram_id: int | None = Field(default=None, sa_type=BigInteger)
