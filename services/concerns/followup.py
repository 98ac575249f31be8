"""Open concerns nobody has moved on for a while: the follow-up reminders are sent from these."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.concerns import list_untouched
from storage.duty_models import Concern
from storage.scheduling import untouched_between

# How long after it falls due a follow-up is still sent (a bot down for longer records it
# missed), and so how far back the planner looks.
FOLLOWUP_GRACE = timedelta(days=7)


async def untouched_concerns(*, session: AsyncSession, now: datetime, days: int) -> list[Concern]:
    """Open concerns whose last change is more than ``days`` days before ``now``, the longest
    untouched first."""
    return await list_untouched(session=session, before=now - timedelta(days=days))


async def followups_due(*, session: AsyncSession, now: datetime, days: int) -> list[Concern]:
    """Those of them due a follow-up now or lately: untouched for ``days`` days, but not for
    ``days`` days and twice the grace (their reminder went, or was recorded missed, before)."""
    due = now - timedelta(days=days)
    return await untouched_between(session=session, first=due - 2 * FOLLOWUP_GRACE, last=due)
