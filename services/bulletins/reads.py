"""已阅: a reader's receipt for an issue, recorded once per person and issue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins.archive import readable_issue
from services.bulletins.errors import IssueNotFound, NotInRoster
from storage.bulletin_models import IssueState
from storage.bulletins import add_read


async def mark_read(*, session: AsyncSession, actor: Actor, issue_id: int, now: datetime) -> bool:
    """Record that the actor read the issue; False if it was recorded before (nothing changes).
    Raises ``IssueNotFound`` for an issue the actor may not read, whatever the button said."""
    issue = await readable_issue(session=session, actor=actor, issue_id=issue_id)
    if issue.state != IssueState.published:
        # A draft's preview shows the button as readers will see it; it records nothing.
        raise IssueNotFound()
    if actor.person_id is None:
        raise NotInRoster()
    return await add_read(session=session, issue_id=issue_id, person_id=actor.person_id, now=now)
