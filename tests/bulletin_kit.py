"""What the bulletin tests share: publishing an issue as staff would, through the engine."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins.publish import Published, publish
from services.deliveries.model import Audience
from services.permissions import Role
from storage.bulletin_models import BulletinIssue

PUBLISHER = Actor(telegram_id=9, roles=frozenset({Role.admin}), locale="zh", scope=None)


async def publish_issue_to(
    session: AsyncSession, issue: BulletinIssue, audience: Audience, now: datetime
) -> Published:
    """Queue the issue for `audience` and mark it published; its recipients may read it."""
    assert issue.id is not None
    return await publish(
        session=session, actor=PUBLISHER, issue_id=issue.id, audience=audience, now=now
    )
