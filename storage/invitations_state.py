"""Invitation facts read for staff: the open ones of a person, the latest per person."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.invitations import open_for
from storage.models import Invitation


async def open_invitations(
    *, session: AsyncSession, person_id: int, now: datetime
) -> list[Invitation]:
    """Unused, unrevoked and unexpired: what issuing a new one or revoking would void."""
    query = select(Invitation).where(open_for(person_id, now)).order_by(col(Invitation.id))
    return list((await session.scalars(query)).all())


async def latest_invitations(
    *, session: AsyncSession, person_ids: Collection[int]
) -> dict[int, Invitation]:
    """Per person, the invitation issued last (issuing revokes the earlier ones)."""
    if not person_ids:
        return {}
    newest = (
        select(func.max(Invitation.id))
        .where(col(Invitation.person_id).in_(list(person_ids)))
        .group_by(col(Invitation.person_id))
    )
    rows = await session.scalars(select(Invitation).where(col(Invitation.id).in_(newest)))
    return {row.person_id: row for row in rows.all()}
