"""The quarterly score post's drafts: one per group and quarter, until staff approve it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Integer, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

INTRO_LIMIT = 200


class ScoreDraft(SQLModel, table=True):
    """A group's score post for a quarter. `intro` None: the default intro line, in each
    reader's language."""

    __tablename__ = "score_draft"
    __table_args__ = (UniqueConstraint("group_id", "year", "quarter"),)

    id: int | None = Field(default=None, primary_key=True)
    group_id: int = Field(
        sa_column=Column(Integer, ForeignKey("rep_group.id", ondelete="CASCADE"), nullable=False)
    )
    year: int
    quarter: int
    intro: str | None = Field(default=None, sa_column=Column(String(INTRO_LIMIT)))
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The Telegram id of the staff member who approved.
    approved_by: int | None = Field(default=None, sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
