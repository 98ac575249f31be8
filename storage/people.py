"""People, their mandates and staff roles: what the bot needs to know who is writing."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, bindparam, case, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import Select, SelectOfScalar

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
    """One SELECT (two for staff limited to some delegations); see identity_query."""
    rows = (await session.execute(identity_query(), {"telegram_id": telegram_id})).all()
    return await identity_from_rows(session, telegram_id, [row[:4] for row in rows])


@cache
def identity_query() -> Select[Person, StaffMember, ChatPreference, Mandate]:
    """The person, their active mandates, a staff role by account or by person, and a language
    chosen before linking: one row per mandate (at least one), entities None where missing.

    The outer joins hang off a one-row select of the `telegram_id` parameter, so a stranger
    gets a row too. Other reads of the update add their columns to it (storage.updates). Built
    once: building and keying a select of this size costs more than running it.
    """
    telegram_id = bindparam("telegram_id", type_=BigInteger)
    me = select(telegram_id.label("telegram_id")).subquery("me")
    return (
        select(Person, StaffMember, ChatPreference, Mandate)
        .select_from(me)
        .outerjoin(Person, col(Person.telegram_id) == me.c.telegram_id)
        .outerjoin(
            StaffMember,
            or_(
                col(StaffMember.telegram_id) == me.c.telegram_id,
                col(StaffMember.person_id) == col(Person.id),
            ),
        )
        .outerjoin(ChatPreference, col(ChatPreference.telegram_id) == me.c.telegram_id)
        .outerjoin(
            Mandate, and_(col(Mandate.person_id) == col(Person.id), col(Mandate.active).is_(True))
        )
        .order_by(col(StaffMember.id), col(Mandate.id))
    )


async def identity_from_rows(
    session: AsyncSession, telegram_id: int, rows: Sequence[Sequence[Any]]
) -> Identity:
    person, staff, preference = rows[0][0], rows[0][1], rows[0][2]
    # Two staff rows (one by account, one by person) repeat the mandates: the first one wins.
    mandates = tuple({m.id: m for *_, m in rows if m is not None}.values())
    scope: frozenset[int] | None = frozenset()
    if staff is not None:
        scope = None if staff.all_delegations else await _scope(session, staff)
    language = person.language if person is not None else None
    if person is None and preference is not None:
        language = preference.language
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


async def person_by_telegram_id(*, session: AsyncSession, telegram_id: int) -> Person | None:
    return await session.scalar(select(Person).where(col(Person.telegram_id) == telegram_id))


async def set_person_telegram_id(
    *, session: AsyncSession, person: Person, telegram_id: int | None, now: datetime
) -> Person:
    person.telegram_id = telegram_id
    # The flag described the previous account; a new (or no) account has not blocked the bot.
    person.unreachable = False
    if telegram_id is None:
        # A staff role granted to the old account by id must not outlive the unlinking.
        await session.execute(
            update(StaffMember)
            .where(col(StaffMember.person_id) == person.id)
            .values(telegram_id=None)
        )
    person.updated_at = now
    session.add(person)
    await session.flush()
    return person


def _with_active_mandate(delegation_ids: frozenset[int] | None) -> SelectOfScalar[int]:
    query = select(Mandate.person_id).where(col(Mandate.active).is_(True))
    if delegation_ids is not None:
        query = query.where(col(Mandate.delegation_id).in_(delegation_ids))
    return query


def _on_roster(delegation_ids: frozenset[int] | None) -> ColumnElement[bool]:
    """Representatives in the delegations; with no limit (an admin) also staff and admins, who
    have a staff role instead of a mandate. Scoped staff never see other staff."""
    with_mandate = col(Person.id).in_(_with_active_mandate(delegation_ids))
    if delegation_ids is not None:
        return with_mandate
    staff = select(StaffMember.person_id).where(col(StaffMember.person_id).is_not(None))
    return or_(with_mandate, col(Person.id).in_(staff))


async def has_staff_role(*, session: AsyncSession, person_id: int) -> bool:
    found = await session.scalar(
        select(StaffMember.id).where(col(StaffMember.person_id) == person_id)
    )
    return found is not None


async def search_people(
    *, session: AsyncSession, text: str, delegation_ids: frozenset[int] | None, limit: int
) -> list[Person]:
    """People whose name contains ``text`` and who hold an active mandate in the delegations
    (None: any); exact names first."""
    query = (
        select(Person)
        .where(
            col(Person.name).icontains(text, autoescape=True),
            _on_roster(delegation_ids),
        )
        .order_by(case((col(Person.name) == text, 0), else_=1), col(Person.name), col(Person.id))
        .limit(limit)
    )
    return list((await session.scalars(query)).all())


async def unbound_people(
    *, session: AsyncSession, delegation_ids: frozenset[int] | None
) -> list[Person]:
    """People with an active mandate in the delegations (None: any) and no Telegram account."""
    query = (
        select(Person)
        .where(
            col(Person.telegram_id).is_(None),
            _on_roster(delegation_ids),
        )
        .order_by(col(Person.id))
    )
    return list((await session.scalars(query)).all())


async def active_delegation_names(
    *, session: AsyncSession, person_ids: Collection[int], delegation_ids: frozenset[int] | None
) -> dict[int, list[str]]:
    """Per person, the sorted names of the delegations of their active mandates (within the
    delegations given, None: all)."""
    query = (
        select(Mandate.person_id, Delegation.name)
        .join(Delegation, col(Delegation.id) == col(Mandate.delegation_id))
        .where(col(Mandate.active).is_(True), col(Mandate.person_id).in_(list(person_ids)))
        .order_by(col(Delegation.name))
        .distinct()
    )
    if delegation_ids is not None:
        query = query.where(col(Mandate.delegation_id).in_(delegation_ids))
    names: dict[int, list[str]] = defaultdict(list)
    for person_id, name in (await session.execute(query)).all():
        names[person_id].append(name)
    return dict(names)
