"""Constituents' concerns and their timelines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import Select

from storage.duty_models import Concern, ConcernEvent, ConcernState
from storage.models import Delegation, Group, Mandate, Person

# Resolved and closed concerns need nothing more from anyone.
FINISHED_STATES = (ConcernState.resolved, ConcernState.closed)


@dataclass(frozen=True)
class ConcernRow:
    """A concern with the names staff read beside it."""

    concern: Concern
    representative: str
    delegation: str
    group: str | None


def _open() -> ColumnElement[bool]:
    return col(Concern.state).not_in(FINISHED_STATES)


async def add_concern(*, session: AsyncSession, concern: Concern, event: ConcernEvent) -> Concern:
    session.add(concern)
    await session.flush()
    assert concern.id is not None  # noqa: S101 - set by the flush
    event.concern_id = concern.id
    session.add(event)
    await session.flush()
    return concern


async def add_event(*, session: AsyncSession, concern: Concern, event: ConcernEvent) -> None:
    """Stores a step of the timeline together with the concern's new state."""
    session.add(concern)
    session.add(event)
    await session.flush()


async def get_concern(*, session: AsyncSession, concern_id: int) -> Concern | None:
    return await session.get(Concern, concern_id)


async def list_events(*, session: AsyncSession, concern_id: int) -> list[ConcernEvent]:
    query = (
        select(ConcernEvent)
        .where(col(ConcernEvent.concern_id) == concern_id)
        .order_by(col(ConcernEvent.at), col(ConcernEvent.id))
    )
    return list((await session.scalars(query)).all())


async def count_open_of_person(*, session: AsyncSession, person_id: int) -> int:
    query = select(func.count()).where(col(Concern.person_id) == person_id, _open())
    return int(await session.scalar(query) or 0)


async def list_open_of_person(
    *, session: AsyncSession, person_id: int, offset: int, limit: int
) -> list[Concern]:
    query = (
        select(Concern)
        .where(col(Concern.person_id) == person_id, _open())
        .order_by(col(Concern.created_at), col(Concern.id))
        .offset(offset)
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


def _scope_filter(delegation_ids: frozenset[int] | None) -> list[ColumnElement[bool]]:
    if delegation_ids is None:
        return []
    return [col(Concern.delegation_id).in_(sorted(delegation_ids))]


async def count_in_scope(*, session: AsyncSession, delegation_ids: frozenset[int] | None) -> int:
    query = select(func.count()).select_from(Concern).where(*_scope_filter(delegation_ids))
    return int(await session.scalar(query) or 0)


def _rows() -> Select[Concern, str, str, str]:
    return (
        select(Concern, Person.name, Delegation.name, Group.name)
        .join(Person, col(Person.id) == col(Concern.person_id))
        .join(Delegation, col(Delegation.id) == col(Concern.delegation_id))
        .join(Mandate, col(Mandate.id) == col(Concern.mandate_id))
        .outerjoin(Group, col(Group.id) == col(Mandate.group_id))
    )


async def get_concern_row(*, session: AsyncSession, concern_id: int) -> ConcernRow | None:
    row = (await session.execute(_rows().where(col(Concern.id) == concern_id))).first()
    return None if row is None else ConcernRow(row[0], row[1], row[2], row[3])


async def list_in_scope(
    *,
    session: AsyncSession,
    delegation_ids: frozenset[int] | None,
    offset: int = 0,
    limit: int | None = None,
) -> list[ConcernRow]:
    """Concerns of the delegations given (None: all) by group, the "no group" bucket last;
    within a group open ones first, oldest first."""
    finished = case((col(Concern.state).in_(FINISHED_STATES), 1), else_=0)
    no_group = case((col(Group.name).is_(None), 1), else_=0)
    query = (
        _rows()
        .where(*_scope_filter(delegation_ids))
        .order_by(no_group, col(Group.name), finished, col(Concern.created_at), col(Concern.id))
        .offset(offset)
        .limit(limit)
    )
    rows = (await session.execute(query)).all()
    return [ConcernRow(c, person, delegation, group) for c, person, delegation, group in rows]


async def list_untouched(*, session: AsyncSession, before: datetime) -> list[Concern]:
    query = (
        select(Concern)
        .where(_open(), col(Concern.touched_at) < before)
        .order_by(col(Concern.touched_at), col(Concern.id))
    )
    return list((await session.scalars(query)).all())


async def mandate_of(*, session: AsyncSession, mandate_id: int) -> Mandate | None:
    return await session.get(Mandate, mandate_id)
