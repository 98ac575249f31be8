"""Tables. Datetimes are aware UTC (UTCDateTime); enums are stored as their string values."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

# Named constraints let Alembic's batch mode on SQLite find and alter them later.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Primary keys are 32-bit integers on PostgreSQL.
ROW_ID_MAX = 2**31 - 1


class Level(StrEnum):
    national = "national"
    province = "province"
    city = "city"
    county = "county"
    township = "township"


class StaffRole(StrEnum):
    staff = "staff"
    admin = "admin"


def _created() -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class Delegation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, unique=True)
    level: Level = Field(sa_type=String(16))


class Group(SQLModel, table=True):
    __tablename__ = "rep_group"  # "group" is an SQL keyword
    __table_args__ = (UniqueConstraint("delegation_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128)
    delegation_id: int = Field(foreign_key="delegation.id", index=True)


class Station(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, unique=True)
    address: str | None = Field(default=None, max_length=256)
    delegation_id: int | None = Field(default=None, foreign_key="delegation.id")
    # Monday is 0; the representative day is Wednesday unless a station says otherwise.
    reception_weekday: int = Field(default=2, ge=0, le=6)
    # Reception hours in local time (settings.timezone).
    reception_start: time = Field(default=time(9, 0))
    reception_end: time = Field(default=time(12, 0))
    # A location staff shared from Telegram, sent with the evening-before notice.
    latitude: float | None = None
    longitude: float | None = None


class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64, index=True)
    phone: str | None = Field(default=None, max_length=32)
    telegram_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    language: str | None = Field(default=None, max_length=8)
    # Set when Telegram says the person blocked the bot; cleared when they write again.
    unreachable: bool = False
    staff_code: str | None = Field(default=None, max_length=64, unique=True)
    # The mandate a person with two chose last for an activity; offered first next time.
    default_mandate_id: int | None = None
    created_at: datetime = _created()
    updated_at: datetime = _created()


class Mandate(SQLModel, table=True):
    # Each congress issues its own representative ids (代表证号), so an id is unique only within
    # one delegation at one level: two delegations may both have a "001".
    __table_args__ = (
        UniqueConstraint(
            "delegation_id", "level", "roster_id", name="uq_mandate_delegation_level_roster_id"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    level: Level = Field(sa_type=String(16))
    term_number: int = Field(ge=1, le=99)
    term_start: date | None = None
    term_end: date | None = None
    delegation_id: int = Field(foreign_key="delegation.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="rep_group.id", index=True)
    station_id: int | None = Field(default=None, foreign_key="station.id")
    is_group_leader: bool = False
    # 代表证号: stable across roster re-imports when the roster has it.
    roster_id: str | None = Field(default=None, max_length=64)
    active: bool = True


class StaffMember(SQLModel, table=True):
    """A staff member or admin, known by Telegram id, by roster person, or both."""

    id: int | None = Field(default=None, primary_key=True)
    telegram_id: int | None = Field(default=None, sa_type=BigInteger, unique=True)
    person_id: int | None = Field(default=None, foreign_key="person.id", unique=True)
    role: StaffRole = Field(sa_type=String(16))
    # True: every delegation. False: only those listed in StaffScope.
    all_delegations: bool = False


class StaffScope(SQLModel, table=True):
    staff_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("staffmember.id", ondelete="CASCADE"), primary_key=True
        )
    )
    delegation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("delegation.id", ondelete="CASCADE"), primary_key=True)
    )


class ChatPreference(SQLModel, table=True):
    """Choices of Telegram users who are not (yet) on the roster."""

    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    language: str | None = Field(default=None, max_length=8)


class AuditLog(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _created()
    actor_telegram_id: int | None = Field(default=None, sa_type=BigInteger, index=True)
    action: str = Field(max_length=64, index=True)
    target: str | None = Field(default=None, max_length=128)
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class ProcessedUpdate(SQLModel, table=True):
    """Update ids already handled, so that a redelivered update is skipped."""

    bot_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    update_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    processed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)


class FsmRecord(SQLModel, table=True):
    """Dialog state and data of one FSM key (bot, chat, user, ...), so dialogs survive restarts."""

    key: str = Field(primary_key=True, max_length=255)
    state: str | None = Field(default=None, max_length=255)
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    updated_at: datetime = _created()


class Invitation(SQLModel, table=True):
    """A one-time invitation: a deep-link token and a typed code, both stored only as hashes."""

    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("person.id", ondelete="CASCADE"), index=True, nullable=False
        )
    )
    token_hash: str = Field(max_length=64, unique=True)
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _created()
    expires_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    used_by_telegram_id: int | None = Field(default=None, sa_type=BigInteger)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_telegram_id: int | None = Field(default=None, sa_type=BigInteger)


class CodeAttempt(SQLModel, table=True):
    """Wrong invitation codes typed by one Telegram user, for the lockout after five."""

    telegram_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    failures: int = 0
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class PendingReply(SQLModel, table=True):
    """An answer to an update, saved with the update's work and sent after the commit.

    A crash between the commit and the send leaves the row here; it is sent on restart, so an
    answer is neither lost nor, since the update is marked handled, produced twice.
    """

    id: int | None = Field(default=None, primary_key=True)
    bot_id: int = Field(sa_type=BigInteger)
    update_id: int = Field(sa_type=BigInteger, index=True)
    chat_id: int = Field(sa_type=BigInteger)
    method: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = _created()
    # Held by a sweep sending leftovers until then (storage.outbox.claim_replies).
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
