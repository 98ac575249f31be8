"""Quarter watch: on the first working day of a quarter's last month (March, June, September,
December), each group with no meeting this quarter reminds its leader (`meeting-watch:group3:
2024Q1:p7`, per group and quarter), and each staff member whose scope holds such groups gets one
message listing them (`meeting-watch:2024Q1:staff:p9`): a long scope is one message, never one
per group. Sent from 09:00 that day and useful for a week.

The watch starts once the deployment keeps its meetings in the bot: until a first meeting has
been scheduled here, groups meeting outside it would all be reminded at once.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.dates import local_today, quarter_bounds, quarter_of
from services.deliveries.model import Content, People, TemplateContent
from services.meetings import templates
from services.scheduling.hints import look, rest_until_daily
from services.scheduling.schedule import person_key, schedule
from services.scheduling.tick import register_planner
from services.workdays import is_working_day
from storage.meetings import (
    any_meeting,
    existing_keys,
    groups_meeting_between,
    groups_with_delegation,
    leader_ids,
    staff_person_ids,
)
from storage.models import Group

HINT = "quarter_watch"
WATCH_AT = time(9, 0)
WATCH_USEFUL = timedelta(days=7)


async def first_working_day(session: AsyncSession, year: int, month: int) -> date:
    day = date(year, month, 1)
    while not await is_working_day(session, day) and day.day < 28:
        day += timedelta(days=1)
    return day


def watch_key(group_id: int, year: int, quarter: int) -> str:
    return f"meeting-watch:group{group_id}:{year}Q{quarter}"


def staff_key(year: int, quarter: int) -> str:
    return f"meeting-watch:{year}Q{quarter}:staff"


async def _groups_without_meeting(
    session: AsyncSession, today: date, settings: Settings
) -> list[tuple[Group, str]]:
    tz = settings.tz
    start, end = quarter_bounds(*quarter_of(today))
    with_meeting = await groups_meeting_between(
        session=session,
        first=datetime.combine(start, time(0), tzinfo=tz).astimezone(UTC),
        last=datetime.combine(end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC),
    )
    groups = await groups_with_delegation(session=session, scope=None, group_ids=())
    return [(g, d) for g, d in groups if g.id is not None and g.id not in with_meeting]


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
    if now < due_at or now > until or not await any_meeting(session=session):
        return []
    year, quarter = quarter_of(today)
    wanted: dict[str, tuple[int, Content]] = {}
    staff_groups: dict[int, list[tuple[str, str]]] = defaultdict(list)
    staff_of: dict[int, list[int]] = {}
    for group, delegation in await _groups_without_meeting(session, today, settings):
        assert group.id is not None  # noqa: S101 - filtered above
        params = {"group": group.name, "delegation": delegation, "year": year, "quarter": quarter}
        for pid in await leader_ids(session=session, group_id=group.id):
            key = person_key(watch_key(group.id, year, quarter), pid)
            wanted[key] = (pid, TemplateContent(templates.WATCH, params))
        if group.delegation_id not in staff_of:
            staff_of[group.delegation_id] = await staff_person_ids(
                session=session, delegation_id=group.delegation_id
            )
        for pid in staff_of[group.delegation_id]:
            staff_groups[pid].append((group.name, delegation))
    for pid, groups in staff_groups.items():
        params = {"groups": groups, "year": year, "quarter": quarter}
        wanted[person_key(staff_key(year, quarter), pid)] = (
            pid,
            TemplateContent(templates.WATCH_STAFF, params),
        )
    done = await existing_keys(session=session, keys=list(wanted))
    handed = []
    for key, (pid, content) in sorted(wanted.items()):
        if key in done:
            continue
        await schedule(
            session=session,
            settings=settings,
            dedupe_key=key,
            audience=People((pid,)),
            content=content,
            due_at=due_at,
            useful_until=until,
            now=now,
            kind="meeting",
        )
        handed.append(key)
    return handed


async def quarter_watch(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The planner `tick` runs: groups with no meeting by the quarter's last month.

    A look reads every group of the deployment, so between looks it rests (services.scheduling
    .hints): until today's WATCH_AT if that is still ahead, else until the next midnight. Inside
    the watch's week that is one look at 09:00 and one a day after it, not one every tick."""
    seen = await look(session=session, planner=HINT, now=now)
    if seen.skip:
        return 0
    handed = await plan_quarter_watch(session=session, now=now, settings=settings)
    await rest_until_daily(
        session=session, planner=HINT, seen=seen, at=WATCH_AT, now=now, tz=settings.tz
    )
    return len(handed)


register_planner(quarter_watch, hint=HINT)
