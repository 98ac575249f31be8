"""Quarter watch: on the first working day of a quarter's last month (March, June, September,
December), each group with no meeting this quarter reminds its leader and the staff whose
scope holds the group's delegation. Once per group and quarter (dedupe key
`meeting-watch:group3:2024Q1`, one delivery per person); useful for a week."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.dates import local_today, quarter_bounds, quarter_of
from services.deliveries.model import People, TemplateContent
from services.meetings import templates
from services.scheduling.schedule import person_key, schedule
from services.scheduling.tick import register_planner
from services.workdays import is_working_day
from storage.meetings import (
    existing_keys,
    groups_meeting_between,
    groups_with_delegation,
    leader_ids,
    staff_person_ids,
)

WATCH_AT = time(9, 0)
WATCH_USEFUL = timedelta(days=7)


async def first_working_day(session: AsyncSession, year: int, month: int) -> date:
    day = date(year, month, 1)
    while not await is_working_day(session, day) and day.day < 28:
        day += timedelta(days=1)
    return day


def watch_key(group_id: int, year: int, quarter: int) -> str:
    return f"meeting-watch:group{group_id}:{year}Q{quarter}"


async def plan_quarter_watch(
    *, session: AsyncSession, now: datetime, settings: Settings
) -> list[str]:
    tz = settings.tz
    today = local_today(now, tz)
    if today.month % 3 != 0 or today.day > 28:
        return []
    first = await first_working_day(session, today.year, today.month)
    due_at = datetime.combine(first, WATCH_AT, tzinfo=tz).astimezone(UTC)
    until = due_at + WATCH_USEFUL
    if now < due_at or now > until:
        return []
    year, quarter = quarter_of(today)
    start, end = quarter_bounds(year, quarter)
    with_meeting = await groups_meeting_between(
        session=session,
        first=datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC),
        last=datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC),
    )
    handed: list[str] = []
    for group, delegation in await groups_with_delegation(
        session=session, scope=None, group_ids=()
    ):
        if group.id is None or group.id in with_meeting:
            continue
        people = sorted(
            set(await leader_ids(session=session, group_id=group.id))
            | set(await staff_person_ids(session=session, delegation_id=group.delegation_id))
        )
        base = watch_key(group.id, year, quarter)
        keys = {pid: person_key(base, pid) for pid in people}
        done = await existing_keys(session=session, keys=list(keys.values()))
        params = {"group": group.name, "delegation": delegation, "year": year, "quarter": quarter}
        for pid in people:
            if keys[pid] in done:
                continue
            await schedule(
                session=session,
                settings=settings,
                dedupe_key=keys[pid],
                audience=People((pid,)),
                content=TemplateContent(templates.WATCH, params),
                due_at=due_at,
                useful_until=until,
                now=now,
                kind="meeting",
            )
            handed.append(keys[pid])
    return handed


@register_planner
async def quarter_watch(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The planner `tick` runs: groups with no meeting by the quarter's last month."""
    return len(await plan_quarter_watch(session=session, now=now, settings=settings))
