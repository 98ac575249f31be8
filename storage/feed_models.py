"""Tables of the bulletin feed watch: what a feed last answered, and the items already taken."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime

# Keys are SHA-256 hex digests: a feed's address and an item's id may be any length.
KEY_LENGTH = 64


class FeedState(SQLModel, table=True):
    """One row per feed address: its validators for a conditional GET and its health."""

    id: int | None = Field(default=None, primary_key=True)
    feed_key: str = Field(max_length=KEY_LENGTH, unique=True)
    url: str = Field(sa_column=Column(Text, nullable=False))
    etag: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_modified: str | None = Field(default=None, max_length=64)
    # Polls failed in a row, and when the first of them failed (the streak's identity).
    failure_streak: int = 0
    failing_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_success_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FeedItemSeen(SQLModel, table=True):
    """An item of a feed that was taken: imported, refused for good, or claimed right now.

    A claim (`claimed_until` set, `done_at` not) keeps a second process polling the same feed
    from importing the item too; a claim whose process died expires and is taken again.
    """

    __table_args__ = (UniqueConstraint("feed_key", "item_key", name="uq_feeditemseen_item"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_key: str = Field(max_length=KEY_LENGTH)
    item_key: str = Field(max_length=KEY_LENGTH)
    item_id: str = Field(sa_column=Column(Text, nullable=False))
    title: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Why the item's document was refused for good (not a text or DOCX file, too large, ...).
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
