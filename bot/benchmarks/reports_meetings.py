"""`bench reports`' group meetings, for the report's meetings table and the evaluation's
attendance: every group meets once a quarter over the three years up to today, each member is
told by the notice, and of each ten six attend and check in, one attends without checking in,
one is excused and two do not answer.

The notices' recipients and the replies are written by INSERT ... SELECT (the members are the
mandates naming the group), so seeding them takes seconds, not a row at a time from Python.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import JSON, String, case, cast, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.benchmarks.reports_seed import GROUPS_PER_DELEGATION
from storage.delivery_models import (
    ContentKind,
    Delivery,
    DeliveryRecipient,
    DeliveryState,
    RecipientState,
)
from storage.meeting_invitees import notice_key
from storage.meeting_models import Answer, Meeting, MeetingReply, MeetingState
from storage.models import Mandate, Person
from storage.types import UTCDateTime

YEARS = 3


def _quarters(today: date) -> list[datetime]:
    """The 15th of each quarter's middle month, 09:00 UTC, over the years up to today."""
    days = [
        datetime(year, month, 15, 1, tzinfo=UTC)
        for year in range(today.year - YEARS + 1, today.year + 1)
        for month in (2, 5, 8, 11)
    ]
    return [day for day in days if day.date() < today]


def _meetings(groups: int, today: date, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "group_id": group,
            "delegation_id": (group - 1) // GROUPS_PER_DELEGATION + 1,
            "title": "代表小组活动",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "place": "代表联络站",
            "organiser_telegram_id": 1,
            "state": MeetingState.scheduled,
            "checkin_code": "1234",
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for group in range(1, groups + 1)
        for starts in _quarters(today)
    ]


def _members() -> Any:
    """Each meeting with each active member of its group: (meeting, person, share of ten)."""
    return (
        select(
            col(Meeting.id).label("meeting_id"),
            col(Mandate.person_id).label("person_id"),
            ((col(Mandate.id) + col(Meeting.id)) % 10).label("share"),
        )
        .select_from(Meeting)
        .join(Mandate, col(Mandate.group_id) == col(Meeting.group_id))
        .where(col(Mandate.active).is_(True))
    )


async def _notices(session: AsyncSession, now: datetime) -> None:
    """One notice per meeting, delivered to every member."""
    notices = select(
        notice_key(),
        literal(ContentKind.template.value),
        literal("meeting.notice"),
        literal({}, JSON),
        literal([], JSON),
        literal({}, JSON),
        col(Meeting.created_at),
        literal(DeliveryState.done.value),
        literal(now, UTCDateTime),
    )
    columns = [
        "dedupe_key", "kind", "template_id", "params", "entities", "audience", "not_before",
        "state", "created_at",
    ]  # fmt: skip
    await session.execute(insert(Delivery).from_select(columns, notices))
    members = _members().subquery()
    recipients = (
        select(
            col(Delivery.id),
            members.c.person_id,
            col(Person.telegram_id),
            col(Delivery.dedupe_key) + literal(":person:") + cast(members.c.person_id, String),
            literal(RecipientState.sent.value),
            literal(now, UTCDateTime),
        )
        .select_from(members)
        .join(Meeting, col(Meeting.id) == members.c.meeting_id)
        .join(Delivery, col(Delivery.dedupe_key) == notice_key())
        .join(Person, col(Person.id) == members.c.person_id)
    )
    columns = ["delivery_id", "person_id", "chat_id", "dedupe_key", "state", "next_try_at"]
    await session.execute(insert(DeliveryRecipient).from_select(columns, recipients))


async def seed_meetings(
    sessions: async_sessionmaker[AsyncSession], *, delegations: int, today: date, now: datetime
) -> tuple[int, int]:
    """(meetings, replies) written."""
    rows = _meetings(delegations * GROUPS_PER_DELEGATION, today, now)
    async with sessions.begin() as session:
        await session.execute(insert(Meeting), rows)
        await _notices(session, now)
        members = _members().subquery()
        share = members.c.share
        answer = case((share < 7, Answer.attending.value), else_=Answer.excused.value)
        replies = select(
            members.c.meeting_id,
            members.c.person_id,
            answer,
            case((share < 6, col(Meeting.starts_at)), else_=None),
        ).join(Meeting, col(Meeting.id) == members.c.meeting_id)
        replies = replies.where(share < 8)  # the other two in ten do not answer
        columns = ["meeting_id", "person_id", "answer", "checked_in_at"]
        await session.execute(insert(MeetingReply).from_select(columns, replies))
        written = await session.scalar(select(func.count()).select_from(MeetingReply))
    return len(rows), int(written or 0)
