"""`bench reports`' group meetings, for the evaluation's attendance: every group meets once a
quarter over the three years up to today, and each member answers, seven in ten checking in.

The replies are written by one INSERT ... SELECT per batch of meetings (the members are the
mandates naming the group), so seeding them takes seconds, not a row at a time from Python.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import case, func, insert, literal, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col

from bot.benchmarks.reports_seed import GROUPS_PER_DELEGATION
from storage.meeting_models import Answer, Meeting, MeetingReply, MeetingState
from storage.models import Mandate

YEARS = 3


def _quarters(today: date) -> list[datetime]:
    """The 15th of each quarter's middle month, 09:00 UTC, over the years up to today."""
    days = [
        datetime(year, month, 15, 1, tzinfo=UTC)
        for year in range(today.year - YEARS + 1, today.year + 1)
        for month in (2, 5, 8, 11)
    ]
    return [day for day in days if day.date() < today]


async def seed_meetings(
    sessions: async_sessionmaker[AsyncSession], *, delegations: int, today: date, now: datetime
) -> tuple[int, int]:
    """(meetings, replies) written."""
    groups = delegations * GROUPS_PER_DELEGATION
    rows: list[dict[str, Any]] = [
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
    async with sessions.begin() as session:
        await session.execute(insert(Meeting), rows)
        came = (col(Mandate.id) + col(Meeting.id)) % 10 < 7
        members = (
            select(
                col(Meeting.id),
                col(Mandate.person_id),
                literal(Answer.attending.value),
                case((came, col(Meeting.starts_at)), else_=None),
            )
            .select_from(Meeting)
            .join(Mandate, col(Mandate.group_id) == col(Meeting.group_id))
            .where(col(Mandate.active).is_(True))
        )
        columns = ["meeting_id", "person_id", "answer", "checked_in_at"]
        await session.execute(insert(MeetingReply).from_select(columns, members))
        replies = await session.scalar(select(func.count()).select_from(MeetingReply))
    return len(rows), int(replies or 0)
