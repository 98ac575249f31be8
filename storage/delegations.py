"""Delegations by id, as people read them."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Delegation


async def delegation_names(*, session: AsyncSession, delegation_ids: Collection[int]) -> list[str]:
    """The names of the delegations, sorted."""
    if not delegation_ids:
        return []
    query = (
        select(Delegation.name)
        .where(col(Delegation.id).in_(list(delegation_ids)))
        .order_by(col(Delegation.name))
    )
    return list((await session.scalars(query)).all())
