"""Activity types and their current points."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.duty_models import ActivityType


async def list_activity_types(
    *, session: AsyncSession, include_inactive: bool = False
) -> list[ActivityType]:
    query = select(ActivityType).order_by(col(ActivityType.position), col(ActivityType.id))
    if not include_inactive:
        query = query.where(col(ActivityType.active).is_(True))
    return list((await session.scalars(query)).all())


async def get_activity_type(*, session: AsyncSession, type_id: int) -> ActivityType | None:
    return await session.get(ActivityType, type_id)
