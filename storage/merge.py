"""Two roster entries of one human: finding them, and moving one's rows onto the other."""

from __future__ import annotations

from sqlalchemy import delete, func, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Invitation, Mandate, Person, StaffMember


async def people_sharing_name_and_phone(*, session: AsyncSession) -> list[Person]:
    """People whose name and phone are both those of someone else, by name, phone and id."""
    pairs = (
        select(Person.name, Person.phone)
        .where(col(Person.phone).is_not(None))
        .group_by(col(Person.name), col(Person.phone))
        .having(func.count() > 1)
        .subquery()
    )
    query = (
        select(Person)
        .join(pairs, (pairs.c.name == Person.name) & (pairs.c.phone == Person.phone))
        .order_by(col(Person.name), col(Person.phone), col(Person.id))
    )
    return list((await session.scalars(query)).all())


async def staff_row_of(*, session: AsyncSession, person_id: int) -> StaffMember | None:
    return await session.scalar(select(StaffMember).where(col(StaffMember.person_id) == person_id))


async def move_person_rows(*, session: AsyncSession, from_id: int, to_id: int) -> dict[str, int]:
    """Mandates, invitations and a staff row of ``from_id`` now belong to ``to_id``; how many."""
    moved: dict[str, int] = {}
    for name, table in (("mandates", Mandate), ("invitations", Invitation), ("staff", StaffMember)):
        statement = (
            update(table)
            .where(col(table.person_id) == from_id)
            .values(person_id=to_id)
            .returning(col(table.id))
        )
        moved[name] = len((await session.scalars(statement)).all())
    return moved


async def delete_person(*, session: AsyncSession, person_id: int) -> None:
    await session.execute(delete(Person).where(col(Person.id) == person_id))
