"""Invitations and wrong-code counters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import CodeAttempt, Invitation


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


def open_for(person_id: int, now: datetime) -> ColumnElement[bool]:
    """The person's invitations still usable: not used, not revoked, not expired."""
    return and_(
        col(Invitation.person_id) == person_id,
        col(Invitation.used_at).is_(None),
        col(Invitation.revoked_at).is_(None),
        col(Invitation.expires_at) > now,
    )


async def revoke_open_invitations(*, session: AsyncSession, person_id: int, now: datetime) -> int:
    """Revokes the person's open invitations (unused, unrevoked, unexpired); returns how many."""
    statement = (
        update(Invitation)
        .where(open_for(person_id, now))
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
