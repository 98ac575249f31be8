"""Who may read an issue: the one check every way of opening an issue goes through.

For now every published issue is readable by everyone in the roster (a representative, or staff)
and no draft is readable in the archive; once publishing records each issue's audience, this is
the place that narrows it to the people the issue was delivered to.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from storage.bulletin_models import BulletinIssue, IssueState


async def can_read(*, session: AsyncSession, actor: Actor, issue: BulletinIssue) -> bool:
    """Whether ``actor`` may open ``issue``, its articles and its 已阅 button. ``session`` is for
    the audience check to come; today the answer needs no query."""
    del session
    if issue.state != IssueState.published:
        return False
    return actor.person_id is not None or actor.is_staff
