"""People, their mandates and staff roles: what the bot needs to know who is writing."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import (
    ChatPreference,
    Delegation,
    Group,
    Mandate,
    Person,
    StaffMember,
    StaffRole,
    StaffScope,
    Station,
)


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


@dataclass(frozen=True)
class MandateDetail:
    mandate: Mandate
    delegation: str
    group: str | None
    station: str | None


async def mandate_details(*, session: AsyncSession, person_id: int) -> list[MandateDetail]:
    rows = await session.execute(
        select(Mandate, Delegation.name, Group.name, Station.name)
        .join(Delegation, col(Delegation.id) == col(Mandate.delegation_id))
        .outerjoin(Group, col(Group.id) == col(Mandate.group_id))
        .outerjoin(Station, col(Station.id) == col(Mandate.station_id))
        .where(col(Mandate.person_id) == person_id, col(Mandate.active).is_(True))
        .order_by(col(Mandate.id))
    )
    return [MandateDetail(m, d, g, s) for m, d, g, s in rows.all()]


async def delegation_ids_of(*, session: AsyncSession, person_id: int) -> frozenset[int]:
    rows = await session.scalars(
        select(Mandate.delegation_id).where(
            col(Mandate.person_id) == person_id, col(Mandate.active).is_(True)
        )
    )
    return frozenset(rows.all())


async def get_person(*, session: AsyncSession, person_id: int) -> Person | None:
    return await session.get(Person, person_id)


async def adopt_chat_preference(*, session: AsyncSession, person: Person) -> None:
    """A language chosen before the account was linked becomes the person's choice."""
    if person.language is not None or person.telegram_id is None:
        return
    pref = await session.get(ChatPreference, person.telegram_id)
    if pref is not None and pref.language is not None:
        person.language = pref.language
        session.add(person)
        await session.flush()
