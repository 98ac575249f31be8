"""Invitations, wrong-code counters and the roster look-ups that onboarding needs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, case, or_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.models import CodeAttempt, Delegation, Invitation, Mandate, Person, StaffMember


async def add_invitation(
    *,
    session: AsyncSession,
    person_id: int,
    token_hash: str,
    code_hash: str,
    created_at: datetime,
    expires_at: datetime,
    created_by_telegram_id: int | None,
) -> Invitation:
    invitation = Invitation(
        person_id=person_id,
        token_hash=token_hash,
        code_hash=code_hash,
        created_at=created_at,
        expires_at=expires_at,
        created_by_telegram_id=created_by_telegram_id,
    )
    session.add(invitation)
    await session.flush()
    return invitation


async def invitation_by_token_hash(*, session: AsyncSession, token_hash: str) -> Invitation | None:
    return await session.scalar(select(Invitation).where(col(Invitation.token_hash) == token_hash))


async def invitation_by_code_hash(*, session: AsyncSession, code_hash: str) -> Invitation | None:
    return await session.scalar(select(Invitation).where(col(Invitation.code_hash) == code_hash))


async def list_invitations(*, session: AsyncSession, person_id: int) -> list[Invitation]:
    query = (
        select(Invitation)
        .where(col(Invitation.person_id) == person_id)
        .order_by(col(Invitation.id))
    )
    return list((await session.scalars(query)).all())


async def revoke_open_invitations(*, session: AsyncSession, person_id: int, now: datetime) -> int:
    """Revokes the person's open invitations (unused, unrevoked, unexpired); returns how many."""
    statement = (
        update(Invitation)
        .where(
            col(Invitation.person_id) == person_id,
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
            col(Invitation.expires_at) > now,
        )
        .values(revoked_at=now)
        .returning(col(Invitation.id))
    )
    return len((await session.scalars(statement)).all())


async def claim_invitation(
    *, session: AsyncSession, invitation_id: int, telegram_id: int, now: datetime
) -> bool:
    """Marks an invitation used unless it already is or was revoked.

    One conditional UPDATE, so that two redemptions racing for the same invitation cannot both win.
    """
    statement = (
        update(Invitation)
        .where(
            col(Invitation.id) == invitation_id,
            col(Invitation.used_at).is_(None),
            col(Invitation.revoked_at).is_(None),
        )
        .values(used_at=now, used_by_telegram_id=telegram_id)
        .returning(col(Invitation.id))
    )
    return (await session.scalar(statement)) is not None


async def get_code_attempt(*, session: AsyncSession, telegram_id: int) -> CodeAttempt | None:
    return await session.get(CodeAttempt, telegram_id)


async def save_code_attempt(
    *, session: AsyncSession, telegram_id: int, failures: int, locked_until: datetime | None
) -> CodeAttempt:
    attempt = await session.get(CodeAttempt, telegram_id) or CodeAttempt(telegram_id=telegram_id)
    attempt.failures = failures
    attempt.locked_until = locked_until
    session.add(attempt)
    await session.flush()
    return attempt


async def clear_code_attempt(*, session: AsyncSession, telegram_id: int) -> None:
    attempt = await session.get(CodeAttempt, telegram_id)
    if attempt is not None:
        await session.delete(attempt)
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
