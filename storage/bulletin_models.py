"""Tables of the bulletin (《代表工作》): issues, their articles, and who has read which issue."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow

# Limits of what is stored, shared by the parser's checks (services.bulletins) and the columns.
HEADING_LIMIT = 256
LINE_LIMIT = 512
FILE_NAME_LIMIT = 256


class IssueState(StrEnum):
    # Imported (command line, a file sent to the bot, the feed) and not yet sent to anyone.
    draft = "draft"
    # Published by staff: readable in the chat (services.bulletins.access.can_read).
    published = "published"


def _cascade(target: str) -> Any:
    return Field(sa_column=Column(Integer, ForeignKey(target, ondelete="CASCADE"), nullable=False))


class BulletinIssue(SQLModel, table=True):
    """One issue, keyed by (year, number): the numbering restarts each year (第N期)."""

    __table_args__ = (
        UniqueConstraint("year", "number", name="uq_bulletinissue_year_number"),
        # The archive: published issues, newest first.
        Index("ix_bulletinissue_state_date", "state", "issued_on", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    year: int
    number: int
    issued_on: date
    # The masthead, e.g. 代表工作.
    title: str = Field(max_length=LINE_LIMIT)
    issuing_body: str = Field(default="", max_length=LINE_LIMIT)
    # The series or theme line under the date, e.g. “…”主题活动专辑（一）; empty if none.
    series: str = Field(default="", max_length=LINE_LIMIT)
    editors_note: str = Field(default="", sa_type=Text)
    # The table of contents as printed, one entry per item.
    contents: list[str] = Field(default_factory=list, sa_type=JSON)
    # 送：… / 发：… / …印发 lines after the articles, as printed, and the copies printed.
    distribution: list[str] = Field(default_factory=list, sa_type=JSON)
    copies: int | None = None
    # The original file: its name and kind (text, docx, pdf) and, once sent through Telegram, its
    # file id. An import from the command line has no file id.
    file_id: str | None = Field(default=None, max_length=256)
    file_name: str | None = Field(default=None, max_length=FILE_NAME_LIMIT)
    file_kind: str | None = Field(default=None, max_length=16)
    state: IssueState = Field(default=IssueState.draft, sa_type=String(16))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class BulletinArticle(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("issue_id", "position", name="uq_bulletinarticle_issue_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = _cascade("bulletinissue.id")
    # 1, 2, …: the order in the issue.
    position: int
    # As printed, print line breaks removed, with its place prefix if it had one (南阳市：…).
    heading: str = Field(max_length=HEADING_LIMIT)
    # The place the article reports from (南阳市), from the heading or the contents line.
    place: str | None = Field(default=None, max_length=64)
    # The body paragraphs, one per line (a paragraph holds no line break).
    body: str = Field(sa_type=Text)
    # E.g. （洛阳市人大常委会人事代表工委供稿）, as printed.
    source: str | None = Field(default=None, max_length=LINE_LIMIT)

    @property
    def paragraphs(self) -> list[str]:
        return self.body.split("\n") if self.body else []


class BulletinRead(SQLModel, table=True):
    """已阅: a person has read an issue. Recorded once; the first tap's time is kept."""

    __table_args__ = (
        UniqueConstraint("issue_id", "person_id", name="uq_bulletinread_issue_person"),
        Index("ix_bulletinread_person_id", "person_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    issue_id: int = _cascade("bulletinissue.id")
    person_id: int = _cascade("person.id")
    read_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, nullable=False)
