"""The score post's planner: on the first working day after a quarter ends, from 09:00 local,
every group with activity in that quarter gets a draft, and each staff member whose scope holds
groups gets one message listing them all with the buttons to preview and approve
(`score-drafts:2024Q1:p9`): never one message per group. Useful for two weeks; /scorepost opens
the same list by hand at any time.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.dates import local_today
from services.deliveries.model import People, TemplateContent
from services.scheduling.hints import look, rest_until_daily
from services.scheduling.schedule import person_key, schedule
from services.scheduling.tick import register_planner
from services.score_post.drafts import DraftList, prepare_drafts, previous_quarter
from services.score_post.text import DRAFTS
from services.workdays import is_working_day
from storage.meetings import existing_keys, staff_person_ids
from storage.models import Delegation
from storage.score_post import groups_of

HINT = "score_post"
DRAFTS_AT = time(9, 0)
DRAFTS_USEFUL = timedelta(days=14)


def drafts_key(year: int, quarter: int) -> str:
    return f"score-drafts:{year}Q{quarter}"


async def first_working_day(session: AsyncSession, year: int, month: int) -> date:
    day = date(year, month, 1)
    while not await is_working_day(session, day) and day.day < 28:
        day += timedelta(days=1)
    return day


async def plan_score_drafts(
    *, session: AsyncSession, now: datetime, settings: Settings
) -> list[str]:
    tz = settings.tz
    today = local_today(now, tz)
    if today.month % 3 != 1 or today.day > 28:
        return []
    first = await first_working_day(session, today.year, today.month)
    due_at = datetime.combine(first, DRAFTS_AT, tzinfo=tz).astimezone(UTC)
    until = due_at + DRAFTS_USEFUL
    if now < due_at or now > until:
        return []
    year, quarter = previous_quarter(today)
    lists: dict[int, DraftList] = defaultdict(lambda: DraftList(year, quarter))
    delegations = {d for _g, _n, d in await groups_of(session=session, delegation_ids=None)}
    for delegation_id in sorted(delegations):
        if await session.get(Delegation, delegation_id) is None:
            continue
        listed = await prepare_drafts(
            session=session, scope=frozenset({delegation_id}), year=year, quarter=quarter
        )
        for pid in await staff_person_ids(session=session, delegation_id=delegation_id):
            mine = lists[pid]
            mine.pending += listed.pending
            mine.done += listed.done
            mine.nothing += listed.nothing
    wanted = {person_key(drafts_key(year, quarter), pid): pid for pid in lists}
    done = await existing_keys(session=session, keys=list(wanted))
    handed = []
    for key, pid in sorted(wanted.items()):
        if key in done:
            continue
        mine = lists[pid]
        params = {
            "year": year,
            "quarter": quarter,
            "pending": [[g, n] for g, n in mine.pending],
            "done": mine.done,
            "nothing": mine.nothing,
        }
        await schedule(
            session=session,
            settings=settings,
            dedupe_key=key,
            audience=People((pid,)),
            content=TemplateContent(DRAFTS, params),
            due_at=due_at,
            useful_until=until,
            now=now,
            kind="score",
        )
        handed.append(key)
    return handed


async def score_drafts(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The planner `tick` runs. Between looks it rests (services.scheduling.hints): until
    today's DRAFTS_AT if still ahead, else until the next midnight."""
    seen = await look(session=session, planner=HINT, now=now)
    if seen.skip:
        return 0
    handed = await plan_score_drafts(session=session, now=now, settings=settings)
    await rest_until_daily(
        session=session, planner=HINT, seen=seen, at=DRAFTS_AT, now=now, tz=settings.tz
    )
    return len(handed)


register_planner(score_drafts, hint=HINT)
