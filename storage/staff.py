"""Staff roles and their scope of delegations."""

from __future__ import annotations

from sqlalchemy import delete, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Delegation, Person, StaffMember, StaffRole, StaffScope


async def grant_staff_role(
    *,
    session: AsyncSession,
    telegram_id: int,
    role: StaffRole,
    delegation_names: list[str],
) -> StaffMember:
    """Make a Telegram user staff (within the named delegations, or all when none) or admin."""
    person = await session.scalar(select(Person).where(col(Person.telegram_id) == telegram_id))
    conditions = [col(StaffMember.telegram_id) == telegram_id]
    if person is not None:
        conditions.append(col(StaffMember.person_id) == person.id)
    staff = await session.scalar(select(StaffMember).where(or_(*conditions)))
    if staff is None:
        staff = StaffMember(telegram_id=telegram_id, role=role)
    staff.telegram_id = telegram_id
    staff.role = role
    staff.all_delegations = role == StaffRole.admin or not delegation_names
    session.add(staff)
    await session.flush()
    await session.execute(delete(StaffScope).where(col(StaffScope.staff_id) == staff.id))
    if delegation_names and role != StaffRole.admin:
        found = await session.scalars(
            select(Delegation).where(col(Delegation.name).in_(delegation_names))
        )
        delegations = {d.name: d for d in found.all()}
        unknown = [name for name in delegation_names if name not in delegations]
        if unknown:
            raise LookupError(", ".join(unknown))
        for delegation in delegations.values():
            session.add(StaffScope(staff_id=_id(staff.id), delegation_id=_id(delegation.id)))
    await session.flush()
    return staff


def _id(value: int | None) -> int:
    if value is None:
        raise ValueError("row has no id: flush it first")
    return value


async def office_staff_person_ids(*, session: AsyncSession) -> list[int]:
    """People on the roster who are staff of the whole office: admins, and staff whose scope is
    every delegation (what concerns everyone, such as a new bulletin issue, is theirs)."""
    query = select(Person.id).where(
        or_(
            col(Person.id).in_(
                select(StaffMember.person_id).where(
                    or_(col(StaffMember.role) == StaffRole.admin, col(StaffMember.all_delegations))
                )
            ),
            col(Person.telegram_id).in_(
                select(StaffMember.telegram_id).where(
                    col(StaffMember.telegram_id).is_not(None),
                    or_(col(StaffMember.role) == StaffRole.admin, col(StaffMember.all_delegations)),
                )
            ),
        )
    )
    return sorted(person_id for person_id in (await session.scalars(query)).all() if person_id)
