"""The parts of the roster an audience may be chosen from, within a scope of delegations."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Delegation, Group, Mandate, Station


async def delegations_in(
    *, session: AsyncSession, scope: Collection[int] | None
) -> list[tuple[int, str]]:
    query = select(Delegation.id, Delegation.name).order_by(col(Delegation.name))
    if scope is not None:
        query = query.where(col(Delegation.id).in_(list(scope)))
    return [(i, name) for i, name in (await session.execute(query)).all() if i is not None]


async def groups_in(
    *, session: AsyncSession, scope: Collection[int] | None
) -> list[tuple[int, str, str]]:
    """(id, group name, delegation name) of the groups of the delegations in scope."""
    query = (
        select(Group.id, Group.name, Delegation.name)
        .join(Delegation, col(Delegation.id) == col(Group.delegation_id))
        .order_by(col(Delegation.name), col(Group.name))
    )
    if scope is not None:
        query = query.where(col(Group.delegation_id).in_(list(scope)))
    return [(i, name, d) for i, name, d in (await session.execute(query)).all() if i is not None]


async def stations_in(
    *, session: AsyncSession, scope: Collection[int] | None
) -> list[tuple[int, str]]:
    """Stations where someone in scope serves (an active mandate), or that belong to a
    delegation in scope."""
    serving = select(Mandate.station_id).where(col(Mandate.active).is_(True))
    query = select(Station.id, Station.name).order_by(col(Station.name))
    if scope is not None:
        serving = serving.where(col(Mandate.delegation_id).in_(list(scope)))
        query = query.where(
            col(Station.id).in_(serving) | col(Station.delegation_id).in_(list(scope))
        )
    return [(i, name) for i, name in (await session.execute(query)).all() if i is not None]
