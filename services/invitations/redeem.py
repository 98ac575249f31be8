"""Representative side: a link token or a typed code binds a Telegram account to a roster entry."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.errors import DomainError
from services.invitations.errors import (
    AccountAlreadyBound,
    CodeLocked,
    InvitationExpired,
    InvitationRevoked,
    InvitationUnknown,
    InvitationUsed,
    PersonAlreadyBound,
)
from services.invitations.people import load_person
from services.invitations.tokens import digest, normalise_code
from storage.invitations import (
    claim_invitation,
    clear_code_attempt,
    get_code_attempt,
    invitation_by_code_hash,
    invitation_by_token_hash,
    save_code_attempt,
)
from storage.models import Invitation, Person
from storage.people import person_by_telegram_id, set_person_telegram_id

MAX_CODE_FAILURES = 5
CODE_LOCKOUT = timedelta(hours=1)


async def redeem_token(
    *, session: AsyncSession, token: str, telegram_id: int, now: datetime
) -> Person:
    """Binds the account to the person the link was issued for.

    Opening one's own used link again, while still linked to that person, succeeds and changes
    nothing: people tap old links, and "welcome back" helps them more than an error. Dates in
    errors are shown in the time zone of ``now``.
    """
    invitation = await invitation_by_token_hash(session=session, token_hash=digest(token))
    return await _redeem(session, invitation, telegram_id, now)


async def redeem_code(
    *, session: AsyncSession, code: str, telegram_id: int, now: datetime
) -> Person:
    """Like redeem_token, for the code typed in a chat; five failures lock the account out for an
    hour. A failure is committed before its error is raised, because the handler's transaction is
    rolled back when the error propagates and the count must survive that."""
    attempt = await get_code_attempt(session=session, telegram_id=telegram_id)
    if attempt is not None and attempt.locked_until is not None and now < attempt.locked_until:
        minutes = math.ceil((attempt.locked_until - now).total_seconds() / 60)
        raise CodeLocked(minutes=max(minutes, 1))
    # A lock that has run out starts the count afresh.
    failures = 0 if attempt is None or attempt.locked_until is not None else attempt.failures
    normalised = normalise_code(code)
    try:
        if normalised is None:
            raise InvitationUnknown()
        invitation = await invitation_by_code_hash(session=session, code_hash=digest(normalised))
        person = await _redeem(session, invitation, telegram_id, now)
    except (InvitationUnknown, InvitationUsed, InvitationExpired, InvitationRevoked) as error:
        raise await _count_failure(session, telegram_id, failures + 1, now, error) from None
    await clear_code_attempt(session=session, telegram_id=telegram_id)
    return person


async def _count_failure(
    session: AsyncSession, telegram_id: int, failures: int, now: datetime, error: DomainError
) -> DomainError:
    # Events of one user are handled one at a time (aiogram's event isolation), so this
    # read-modify-write of the counter does not race with the same user's next message.
    locked_until = now + CODE_LOCKOUT if failures >= MAX_CODE_FAILURES else None
    await save_code_attempt(
        session=session, telegram_id=telegram_id, failures=failures, locked_until=locked_until
    )
    await session.commit()
    if locked_until is not None:
        return CodeLocked(minutes=math.ceil(CODE_LOCKOUT.total_seconds() / 60))
    return error


async def _redeem(
    session: AsyncSession, invitation: Invitation | None, telegram_id: int, now: datetime
) -> Person:
    if invitation is None:
        raise InvitationUnknown()
    person = await load_person(session=session, person_id=invitation.person_id)
    if invitation.revoked_at is not None:
        raise InvitationRevoked()
    if invitation.used_at is not None:
        if invitation.used_by_telegram_id == telegram_id and person.telegram_id == telegram_id:
            return person
        raise InvitationUsed()
    if now >= invitation.expires_at:
        raise InvitationExpired(
            date=invitation.expires_at.astimezone(now.tzinfo).date().isoformat()
        )
    if person.telegram_id is not None and person.telegram_id != telegram_id:
        raise PersonAlreadyBound()
    holder = await person_by_telegram_id(session=session, telegram_id=telegram_id)
    if holder is not None and holder.id != person.id:
        raise AccountAlreadyBound(name=holder.name)
    assert invitation.id is not None  # noqa: S101 - read from the database
    if not await claim_invitation(
        session=session, invitation_id=invitation.id, telegram_id=telegram_id, now=now
    ):
        # Another redemption of the same invitation won the race a moment ago.
        raise InvitationUsed()
    return await set_person_telegram_id(
        session=session, person=person, telegram_id=telegram_id, now=now
    )
