"""Tables of the delivery engine: what to send, to whom, one row per recipient."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
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

DEDUPE_KEY_LIMIT = 255
# Lower goes first: a reminder due soon before a bulk bulletin.
DEFAULT_PRIORITY = 100
# Why a row of someone who had blocked the bot is not sent (until they write again).
BLOCKED_BEFORE = "unreachable before sending"


class DeliveryState(StrEnum):
    scheduled = "scheduled"
    sending = "sending"
    paused = "paused"
    cancelled = "cancelled"
    done = "done"


class RecipientState(StrEnum):
    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"
    unreachable = "unreachable"
    cancelled = "cancelled"


class ContentKind(StrEnum):
    # Rendered at send time in each recipient's language (services.deliveries.templates).
    template = "template"
    # Stored content: never a reference to a chat message, which its author may delete.
    text = "text"
    photo = "photo"
    document = "document"


def _cascade(target: str) -> Any:
    return Field(sa_column=Column(Integer, ForeignKey(target, ondelete="CASCADE"), nullable=False))


class Delivery(SQLModel, table=True):
    __table_args__ = (Index("ix_delivery_due", "state", "priority", "not_before", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=DEDUPE_KEY_LIMIT, unique=True)
    kind: ContentKind = Field(sa_type=String(16))
    template_id: str | None = Field(default=None, max_length=64)
    params: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # Plain text (or a caption) and its Telegram entities, as MessageEntity dicts.
    text: str | None = Field(default=None, sa_type=Text)
    entities: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    file_id: str | None = Field(default=None, max_length=256)
    audience: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    # People of the audience with no Telegram account: no row, only this count.
    skipped: int = 0
    author_telegram_id: int | None = Field(default=None, sa_type=BigInteger)
    not_before: datetime = Field(sa_type=UTCDateTime, nullable=False)
    priority: int = DEFAULT_PRIORITY
    state: DeliveryState = Field(default=DeliveryState.scheduled, sa_type=String(16))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)


class DeliveryRecipient(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("delivery_id", "person_id", name="uq_deliveryrecipient_delivery_person"),
        # The sender's claim: a delivery's queued rows in id order.
        Index("ix_deliveryrecipient_claim", "delivery_id", "state", "id"),
        # Rows whose sender died with them claimed, found by their expired lease.
        Index("ix_deliveryrecipient_lease", "state", "lease_until"),
        Index("ix_deliveryrecipient_person_id", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = _cascade("delivery.id")
    person_id: int = _cascade("person.id")
    chat_id: int = Field(sa_type=BigInteger)
    dedupe_key: str = Field(max_length=DEDUPE_KEY_LIMIT + 32, unique=True)
    state: RecipientState = Field(default=RecipientState.queued, sa_type=String(16))
    lease_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Failed tries (server errors, timeouts); a 429 is waited out and not counted.
    attempts: int = 0
    # Parts of a long text Telegram accepted: a retry resumes after them.
    parts_sent: int = 0
    error: str | None = Field(default=None, sa_type=Text)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_try_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
