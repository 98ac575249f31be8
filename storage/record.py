"""What a representative's yearly duty record reads: one query per table, never one per row.

``delegation_ids`` None reads every delegation; otherwise only rows of the delegations given (a
staff member's scope, or the delegation an export is made for).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.duty_models import Activity, ActivityType, Concern
from storage.models import ROW_ID_MAX, Delegation, Group, Mandate, Person


@dataclass(frozen=True)
class MandateRow:
    mandate: Mandate
    delegation: str
    group: str | None


def _in(column: object, delegation_ids: frozenset[int] | None) -> ColumnElement[bool]:
    if delegation_ids is None:
        return true()
    return col(column).in_(sorted(delegation_ids))


async def record_mandates(
    *,
    session: AsyncSession,
    person_id: int,
    first: date,
    last: date,
    delegation_ids: frozenset[int] | None = None,
) -> list[MandateRow]:
    """Active mandates, and ended ones whose term overlaps ``first``..``last``."""
    overlaps = and_(
        or_(col(Mandate.term_start).is_(None), col(Mandate.term_start) <= last),
        or_(col(Mandate.term_end).is_(None), col(Mandate.term_end) >= first),
    )
    rows = await session.execute(
        select(Mandate, Delegation.name, Group.name)
        .join(Delegation, col(Delegation.id) == col(Mandate.delegation_id))
        .outerjoin(Group, col(Group.id) == col(Mandate.group_id))
        .where(
            col(Mandate.person_id) == person_id,
            or_(col(Mandate.active).is_(True), overlaps),
            _in(Mandate.delegation_id, delegation_ids),
        )
        .order_by(col(Mandate.id))
    )
    return [MandateRow(m, d, g) for m, d, g in rows.all()]


async def record_activities(
    *,
    session: AsyncSession,
    person_id: int,
    first: date,
    last: date,
    delegation_ids: frozenset[int] | None = None,
) -> list[tuple[Activity, ActivityType]]:
    """Activities not deleted, from ``first`` to ``last`` inclusive, oldest first."""
    rows = await session.execute(
        select(Activity, ActivityType)
        .join(ActivityType, col(ActivityType.id) == col(Activity.type_id))
        .where(
            col(Activity.person_id) == person_id,
            col(Activity.happened_on) >= first,
            col(Activity.happened_on) <= last,
            col(Activity.deleted_at).is_(None),
            _in(Activity.delegation_id, delegation_ids),
        )
        .order_by(col(Activity.happened_on), col(Activity.id))
    )
    return [(activity, kind) for activity, kind in rows.all()]


async def record_concerns(
    *,
    session: AsyncSession,
    person_id: int,
    since: datetime,
    before: datetime,
    delegation_ids: frozenset[int] | None = None,
) -> Sequence[Concern]:
    """Concerns recorded from ``since`` (inclusive) to ``before``, oldest first."""
    rows = await session.scalars(
        select(Concern)
        .where(
            col(Concern.person_id) == person_id,
            col(Concern.created_at) >= since,
            col(Concern.created_at) < before,
            _in(Concern.delegation_id, delegation_ids),
        )
        .order_by(col(Concern.created_at), col(Concern.id))
    )
    return rows.all()


async def people_with_mandates(
    *, session: AsyncSession, delegation_ids: frozenset[int] | None = None
) -> Sequence[Person]:
    """Everyone holding an active mandate (in the delegations given), by name then id."""
    holders = select(Mandate.person_id).where(
        col(Mandate.active).is_(True), _in(Mandate.delegation_id, delegation_ids)
    )
    rows = await session.scalars(
        select(Person).where(col(Person.id).in_(holders)).order_by(col(Person.name), col(Person.id))
    )
    return rows.all()


async def find_delegation(*, session: AsyncSession, key: str) -> Delegation | None:
    """A delegation by its exact name, or by its id written in digits."""
    if key.isascii() and key.isdigit() and int(key) <= ROW_ID_MAX:
        found = await session.get(Delegation, int(key))
        if found is not None:
            return found
    return (await session.scalars(select(Delegation).where(col(Delegation.name) == key))).first()
