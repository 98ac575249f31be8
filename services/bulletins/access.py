"""Who may read an issue: the one check every way of opening an issue goes through.

A published issue is readable by the people it was delivered to (a recipient row of the
delivery that published it) and by staff whose scope holds one of them (admins and staff of
every delegation: all published issues). A draft is readable by staff only, so that the preview
of an issue being published opens like the issue itself; nobody can mark a draft read.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from storage.bulletin_audience import issue_matches, readable_filter
from storage.bulletin_models import BulletinIssue, IssueState


def readable_by(actor: Actor) -> ColumnElement[bool]:
    """The published issues ``actor`` may read, as a filter for listing them."""
    return readable_filter(person_id=actor.person_id, staff=actor.is_staff, scope=actor.scope)


async def can_read(*, session: AsyncSession, actor: Actor, issue: BulletinIssue) -> bool:
    """Whether ``actor`` may open ``issue``, its articles and its 已阅 button."""
    if issue.state == IssueState.draft:
        return actor.is_staff
    if issue.state != IssueState.published or issue.id is None:
        return False
    return await issue_matches(session=session, issue_id=issue.id, where=readable_by(actor))
