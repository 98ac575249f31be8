"""People, their mandates and staff roles: what the bot needs to know who is writing."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import ChatPreference, Mandate, Person, StaffMember, StaffRole, StaffScope


@dataclass(frozen=True)
class Identity:
    """Everything stored about one Telegram user, read in one place."""

    telegram_id: int
    person: Person | None = None
    mandates: tuple[Mandate, ...] = ()
    staff_role: StaffRole | None = None
    # None means every delegation; only meaningful with a staff role.
    staff_scope: frozenset[int] | None = field(default_factory=frozenset)
    stored_language: str | None = None


async def load_identity(*, session: AsyncSession, telegram_id: int) -> Identity:
    person = await session.scalar(select(Person).where(col(Person.telegram_id) == telegram_id))
    mandates: tuple[Mandate, ...] = ()
    conditions = [col(StaffMember.telegram_id) == telegram_id]
    if person is not None:
        mandates = tuple(
            (
                await session.scalars(
                    select(Mandate)
                    .where(col(Mandate.person_id) == person.id, col(Mandate.active).is_(True))
                    .order_by(col(Mandate.id))
                )
            ).all()
        )
        conditions.append(col(StaffMember.person_id) == person.id)
    staff = await session.scalar(select(StaffMember).where(or_(*conditions)))
    scope: frozenset[int] | None = frozenset()
    if staff is not None:
        scope = None if staff.all_delegations else await _scope(session, staff)
    language = person.language if person is not None else await _preference(session, telegram_id)
    return Identity(
        telegram_id=telegram_id,
        person=person,
        mandates=mandates,
        staff_role=staff.role if staff is not None else None,
        staff_scope=scope,
        stored_language=language,
    )


async def _scope(session: AsyncSession, staff: StaffMember) -> frozenset[int]:
    rows = await session.scalars(
        select(StaffScope.delegation_id).where(col(StaffScope.staff_id) == staff.id)
    )
    return frozenset(rows.all())


async def _preference(session: AsyncSession, telegram_id: int) -> str | None:
    pref = await session.get(ChatPreference, telegram_id)
    return pref.language if pref is not None else None


async def set_language(*, session: AsyncSession, telegram_id: int, language: str) -> None:
    person = await session.scalar(select(Person).where(col(Person.telegram_id) == telegram_id))
    if person is not None:
        person.language = language
        session.add(person)
    else:
        pref = await session.get(ChatPreference, telegram_id) or ChatPreference(
            telegram_id=telegram_id
        )
        pref.language = language
        session.add(pref)
    await session.flush()


async def set_unreachable(*, session: AsyncSession, telegram_id: int, unreachable: bool) -> None:
    person = await session.scalar(select(Person).where(col(Person.telegram_id) == telegram_id))
    if person is not None and person.unreachable != unreachable:
        person.unreachable = unreachable
        session.add(person)
        await session.flush()
