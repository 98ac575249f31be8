"""One's history of duty activities, a page at a time; soft deletion of one's own entries.

A representative sees only their own live entries. "Not yours" and "deleted" both read as
NotFound, so a forged or stale button says nothing about anyone else's records. Staff's view of
a person's entries is services.activities.history_staff.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.dates import quarter_bounds, quarter_of
from services.errors import NotFound
from storage.activities import get_activity, list_attachments
from storage.activity_history import (
    count_and_points,
    months_with_activities,
    page_of_activities,
    soft_delete_activity,
)
from storage.activity_types import list_activity_types
from storage.audit import record_audit
from storage.duty_models import (
    ATTACHMENT_LIMIT,
    Activity,
    ActivityAttachment,
    ActivityType,
    AttachmentKind,
)

# The tables are named here too: handlers use them in type hints and never import storage.
__all__ = [
    "ATTACHMENT_LIMIT",
    "PAGE_SIZE",
    "Activity",
    "ActivityAttachment",
    "ActivityType",
    "AttachmentKind",
    "EntryView",
    "HistoryFilter",
    "HistoryPage",
    "activity_types_by_id",
    "delete_own_activity",
    "own_entry",
    "own_history",
    "points_period",
    "quarters_to_offer",
]

PAGE_SIZE = 10
# Quarter buttons offered besides the current one: a five-year term's worth.
QUARTER_CHOICES = 20


@dataclass(frozen=True)
class HistoryFilter:
    """What a list shows: one quarter (year and quarter) or all, one type or all."""

    year: int | None = None
    quarter: int | None = None
    type_id: int | None = None

    @property
    def period(self) -> tuple[int, int] | None:
        if self.year is None or self.quarter is None:
            return None
        return self.year, self.quarter


@dataclass(frozen=True)
class HistoryPage:
    entries: list[Activity]
    page: int  # from 0, within the pages there are
    pages: int  # at least 1, even when there is nothing
    total: int
    points: int  # of the period shown on top of the list


@dataclass(frozen=True)
class EntryView:
    activity: Activity
    type: ActivityType | None
    attachments: list[ActivityAttachment]


async def activity_types_by_id(*, session: AsyncSession) -> dict[int, ActivityType]:
    """Every type, retired ones too: old entries keep the name they were logged under."""
    types = await list_activity_types(session=session, include_inactive=True)
    return {kind.id: kind for kind in types if kind.id is not None}


def points_period(filters: HistoryFilter, today: date) -> tuple[int, int]:
    """The quarter whose points head the list: the one filtered on, else the current one."""
    return filters.period or quarter_of(today)


async def own_history(
    *, session: AsyncSession, person_id: int, filters: HistoryFilter, page: int, today: date
) -> HistoryPage:
    first, last = quarter_bounds(*filters.period) if filters.period else (None, None)
    start, end = quarter_bounds(*points_period(filters, today))
    return await history_page(
        session=session,
        person_id=person_id,
        page=page,
        first=first,
        last=last,
        type_id=filters.type_id,
        points_from=start,
        points_to=end,
    )


async def history_page(
    *,
    session: AsyncSession,
    person_id: int,
    page: int,
    points_from: date,
    points_to: date,
    first: date | None = None,
    last: date | None = None,
    type_id: int | None = None,
    include_deleted: bool = False,
    delegation_ids: Collection[int] | None = None,
) -> HistoryPage:
    """One page of the entries that match, kept within the pages there are, with their count
    and the points of the live entries from ``points_from`` to ``points_to``."""
    total, points = await count_and_points(
        session=session,
        person_id=person_id,
        first=first,
        last=last,
        type_id=type_id,
        include_deleted=include_deleted,
        delegation_ids=delegation_ids,
        points_from=points_from,
        points_to=points_to,
    )
    page, pages = clamp_page(page, total)
    entries = await page_of_activities(
        session=session,
        person_id=person_id,
        first=first,
        last=last,
        type_id=type_id,
        include_deleted=include_deleted,
        delegation_ids=delegation_ids,
        limit=PAGE_SIZE,
        offset=page * PAGE_SIZE,
    )
    return HistoryPage(entries, page, pages, total, points)


async def quarters_to_offer(
    *, session: AsyncSession, person_id: int, today: date
) -> list[tuple[int, int]]:
    """The current quarter, then earlier quarters with entries, newest first."""
    current = quarter_of(today)
    months = await months_with_activities(session=session, person_id=person_id, up_to=today)
    earlier: list[tuple[int, int]] = []
    for year, month in months:
        quarter = quarter_of(date(year, month, 1))
        if quarter != current and quarter not in earlier:
            earlier.append(quarter)
    return [current, *earlier[:QUARTER_CHOICES]]


async def own_entry(*, session: AsyncSession, person_id: int, activity_id: int) -> EntryView:
    activity = await owned_activity(session=session, person_id=person_id, activity_id=activity_id)
    return await entry_view(session, activity)


async def delete_own_activity(
    *,
    session: AsyncSession,
    person_id: int,
    activity_id: int,
    actor_telegram_id: int,
    now: datetime,
) -> Activity:
    """Soft-deletes one's own live entry and audits it; NotFound for anything else."""
    activity = await owned_activity(session=session, person_id=person_id, activity_id=activity_id)
    await soft_delete_activity(session=session, activity=activity, now=now)
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action="activity.delete",
        target=str(activity_id),
        details={"person_id": person_id, "happened_on": activity.happened_on.isoformat()},
    )
    return activity


async def owned_activity(*, session: AsyncSession, person_id: int, activity_id: int) -> Activity:
    """The person's own activity, not deleted; NotFound for anyone else's."""
    activity = await get_activity(session=session, activity_id=activity_id)
    if activity is None or activity.person_id != person_id or activity.deleted_at is not None:
        raise NotFound()
    return activity


async def entry_view(session: AsyncSession, activity: Activity) -> EntryView:
    assert activity.id is not None  # noqa: S101 - read from the database
    kind = (await activity_types_by_id(session=session)).get(activity.type_id)
    attachments = await list_attachments(session=session, activity_id=activity.id)
    return EntryView(activity, kind, attachments)


def clamp_page(page: int, total: int) -> tuple[int, int]:
    """The page to show, within the pages there are, and how many there are."""
    pages = max(1, -(-total // PAGE_SIZE))
    return min(max(page, 0), pages - 1), pages
