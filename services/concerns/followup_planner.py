"""Concern follow-ups through `tick`: an open concern untouched for CONCERN_FOLLOWUP_DAYS days
reminds its representative, once per untouched spell.

The key, `concern:42:followup:<last change>`, changes when the concern moves, so a concern that
moves and then stalls again is followed up again, and one that stays untouched is reminded once,
not every tick. Held through the representative's quiet hours; useful for FOLLOWUP_GRACE, then
recorded missed.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.concerns.followup import FOLLOWUP_GRACE, followups_due
from services.concerns.followup_template import FOLLOWUP
from services.config import Settings
from services.deliveries.model import People, TemplateContent
from services.scheduling.hints import look, rest
from services.scheduling.schedule import schedule
from services.scheduling.tick import register_planner
from storage.rota import delivery_keys, on_roster
from storage.scheduling import first_touched_after, missed_keys

HINT = "concern_followups"


def followup_key(concern_id: int, touched_at: datetime) -> str:
    return f"concern:{concern_id}:followup:{touched_at.astimezone(UTC):%Y%m%dT%H%M%S}"


async def plan_followups(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """Queue the follow-ups due at `now`; how many were queued."""
    days = settings.concern_followup_days
    concerns = await followups_due(session=session, now=now, days=days)
    listed = await on_roster(session=session, person_ids={c.person_id for c in concerns})
    keyed = {
        followup_key(c.id, c.touched_at): c
        for c in concerns
        if c.id is not None and c.person_id in listed
    }
    done = await delivery_keys(session=session, keys=list(keyed))
    done |= await missed_keys(session=session, dedupe_keys=[k for k in keyed if k not in done])
    count = 0
    for key, concern in keyed.items():
        if key in done:
            continue
        due = concern.touched_at + timedelta(days=days)
        params = {
            "concern_id": concern.id,
            "category": concern.category,
            "summary": concern.summary,
            "day": concern.created_at.astimezone(settings.tz).date().isoformat(),
            "days": days,
        }
        queued = await schedule(
            session=session,
            settings=settings,
            dedupe_key=key,
            audience=People((concern.person_id,)),
            content=TemplateContent(FOLLOWUP, params),
            due_at=due,
            useful_until=due + FOLLOWUP_GRACE,
            now=now,
            kind="concern",
        )
        count += len(queued)
    return count


async def concern_followups(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The planner `tick` runs: the concern follow-ups due now. It then rests until the next
    concern comes due; a new concern comes due `days` days on, so that bounds the rest too."""
    days = settings.concern_followup_days
    seen = await look(session=session, planner=HINT, now=now)
    if seen.skip:
        return 0
    count = await plan_followups(session=session, now=now, settings=settings)
    first = await first_touched_after(session=session, after=now - timedelta(days=days))
    later = now + timedelta(days=days) if first is None else first + timedelta(days=days)
    await rest(session=session, planner=HINT, seen=seen, until=later, now=now, tz=settings.tz)
    return count


register_planner(concern_followups, hint=HINT)
