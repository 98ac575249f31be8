"""Reminder settings per person, and the record of reminders that fell due too late."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, cast, func, type_coerce, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.concerns import FINISHED_STATES
from storage.delivery_models import Delivery
from storage.duty_models import Concern
from storage.scheduling_models import MissedReminder, PlannerHint, ReminderSettings
from storage.types import UTCDateTime, utcnow

# Person ids per IN (…): under both drivers' limits on bound parameters.
IDS_PER_QUERY = 10_000


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    return dialect.insert(table)


async def record_missed(*, session: AsyncSession, missed: MissedReminder) -> bool:
    """Save `missed` unless its dedupe key is recorded already; True when saved now. Two
    planners recording the same key at once leave one row."""
    values = missed.model_dump(exclude={"id"})
    statement = _insert(session, MissedReminder).values(values).on_conflict_do_nothing()
    new_id = await session.scalar(statement.returning(col(MissedReminder.id)))
    return new_id is not None


async def missed_reminders(
    *, session: AsyncSession, due_since: datetime, limit: int = 100
) -> list[MissedReminder]:
    """Reminders missed that fell due at or after `due_since`, latest first."""
    rows = await session.scalars(
        select(MissedReminder)
        .where(col(MissedReminder.due_at) >= due_since)
        .order_by(col(MissedReminder.due_at).desc(), col(MissedReminder.id).desc())
        .limit(limit)
    )
    return list(rows)


async def missed_keys(*, session: AsyncSession, dedupe_keys: Collection[str]) -> set[str]:
    """Those of these keys recorded as missed already."""
    found: set[str] = set()
    keys = list(dedupe_keys)
    for start in range(0, len(keys), IDS_PER_QUERY):
        rows = await session.scalars(
            select(MissedReminder.dedupe_key).where(
                col(MissedReminder.dedupe_key).in_(keys[start : start + IDS_PER_QUERY])
            )
        )
        found.update(rows)
    return found


async def any_delivery_with_keys(*, session: AsyncSession, dedupe_keys: Collection[str]) -> bool:
    """Whether a delivery was queued under any of these keys (at most IDS_PER_QUERY)."""
    found = await session.scalar(
        select(Delivery.id).where(col(Delivery.dedupe_key).in_(list(dedupe_keys))).limit(1)
    )
    return found is not None


async def reminder_rows(
    *, session: AsyncSession, person_ids: Collection[int]
) -> dict[int, ReminderSettings]:
    """The saved settings of these people, by person id; people with none are left out."""
    ids = sorted(set(person_ids))
    found: dict[int, ReminderSettings] = {}
    for start in range(0, len(ids), IDS_PER_QUERY):
        chunk = ids[start : start + IDS_PER_QUERY]
        rows = await session.scalars(
            select(ReminderSettings).where(col(ReminderSettings.person_id).in_(chunk))
        )
        found.update((row.person_id, row) for row in rows)
    return found


async def rows_mentioning(*, session: AsyncSession, kind: str) -> list[ReminderSettings]:
    """Settings rows whose changed kinds mention `kind` (its on/off is for the caller to read):
    the few people who turned a kind that is off by default, such as the digest, on."""
    rows = await session.scalars(
        select(ReminderSettings).where(cast(ReminderSettings.kinds, String).like(f'%"{kind}"%'))
    )
    return list(rows)


async def untouched_between(
    *, session: AsyncSession, first: datetime, last: datetime
) -> list[Concern]:
    """Open concerns last changed from `first` to `last`: those a follow-up planner looks at."""
    rows = await session.scalars(
        select(Concern)
        .where(
            col(Concern.state).not_in(FINISHED_STATES),
            col(Concern.touched_at) >= first,
            col(Concern.touched_at) <= last,
        )
        .order_by(col(Concern.touched_at), col(Concern.id))
    )
    return list(rows)


async def first_touched_after(*, session: AsyncSession, after: datetime) -> datetime | None:
    """The earliest last change after `after` of an open concern (its follow-up comes next)."""
    earliest = type_coerce(func.min(col(Concern.touched_at)), UTCDateTime)
    found: datetime | None = await session.scalar(
        select(earliest).where(
            col(Concern.state).not_in(FINISHED_STATES), col(Concern.touched_at) > after
        )
    )
    return found


async def reminder_row(*, session: AsyncSession, person_id: int) -> ReminderSettings:
    """This person's settings row, a new unsaved one (all defaults) if they have none."""
    row = await session.get(ReminderSettings, person_id)
    return row if row is not None else ReminderSettings(person_id=person_id)


async def save_reminder_row(*, session: AsyncSession, row: ReminderSettings) -> None:
    row.updated_at = utcnow()
    await session.merge(row)
    await session.flush()
    await wake_planners(session=session)


async def planner_hint(*, session: AsyncSession, planner: str) -> tuple[datetime | None, int]:
    """Until when `planner` may sleep (None: it must look) and the hint's version."""
    found = (
        await session.execute(
            select(PlannerHint.quiet_until, PlannerHint.version).where(
                PlannerHint.planner == planner
            )
        )
    ).first()
    return (None, 0) if found is None else (found[0], found[1])


async def set_planner_hint(
    *, session: AsyncSession, planner: str, quiet_until: datetime, version: int
) -> bool:
    """Let `planner` sleep until `quiet_until`, unless a change bumped the version since it read
    `version`; True when set."""
    found = await session.execute(
        update(PlannerHint)
        .where(col(PlannerHint.planner) == planner, col(PlannerHint.version) == version)
        .values(quiet_until=quiet_until)
    )
    if getattr(found, "rowcount", 0):
        return True
    if version != 0:
        return False
    row = {"planner": planner, "quiet_until": quiet_until, "version": 0}
    statement = _insert(session, PlannerHint).values(row).on_conflict_do_nothing()
    new = await session.scalar(statement.returning(col(PlannerHint.planner)))
    return new is not None


async def resting_planners(*, session: AsyncSession, now: datetime, longest: timedelta) -> set[str]:
    """The planners resting at `now` (not past `now + longest`: a clock moved back)."""
    rows = await session.scalars(
        select(PlannerHint.planner).where(
            col(PlannerHint.quiet_until) > now, col(PlannerHint.quiet_until) <= now + longest
        )
    )
    return set(rows)


async def wake_planners(*, session: AsyncSession) -> None:
    """Something changed that could bring a reminder earlier: every planner looks again."""
    await session.execute(
        update(PlannerHint).values(quiet_until=None, version=col(PlannerHint.version) + 1)
    )
