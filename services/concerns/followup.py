"""Open concerns nobody has moved on for a while: the follow-up reminders are sent from these."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.concerns import list_untouched
from storage.duty_models import Concern


async def untouched_concerns(*, session: AsyncSession, now: datetime, days: int) -> list[Concern]:
    """Open concerns whose last change is more than ``days`` days before ``now``, the longest
    untouched first."""
    return await list_untouched(session=session, before=now - timedelta(days=days))
