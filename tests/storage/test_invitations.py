"""Invitation storage: hashes in, models out, and updates that cannot be won twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.invitations import (
    add_invitation,
    claim_invitation,
    clear_code_attempt,
    get_code_attempt,
    invitation_by_code_hash,
    invitation_by_token_hash,
    list_invitations,
    revoke_open_invitations,
    save_code_attempt,
)
from storage.invitations_state import open_invitations
from storage.models import Invitation, Mandate, Person
from storage.people import (
    active_delegation_names,
    search_people,
    set_person_telegram_id,
    unbound_people,
)
from tests.factories import add_delegation, add_representative

NOW = datetime(2024, 3, 21, 2, 0, tzinfo=UTC)


async def _invite(session: AsyncSession, person: Person, label: str, days: int = 30) -> Invitation:
    assert person.id is not None
    return await add_invitation(
        session=session,
        person_id=person.id,
        token_hash=f"t-{label}",
        code_hash=f"c-{label}",
        created_at=NOW,
        expires_at=NOW + timedelta(days=days),
        created_by_telegram_id=7,
    )


async def test_invitations_are_found_by_their_hashes(session: AsyncSession) -> None:
    person = await add_representative(
        session, telegram_id=None, delegation=await add_delegation(session)
    )
    stored = await _invite(session, person, "a")

    assert await invitation_by_token_hash(session=session, token_hash="t-a") == stored
    assert await invitation_by_code_hash(session=session, code_hash="c-a") == stored
    assert await invitation_by_token_hash(session=session, token_hash="c-a") is None
    assert stored.expires_at == NOW + timedelta(days=30)
    assert stored.created_by_telegram_id == 7


async def test_listing_and_revoking_agree_on_what_is_open(session: AsyncSession) -> None:
    person = await add_representative(
        session, telegram_id=None, delegation=await add_delegation(session)
    )
    used = await _invite(session, person, "used")
    for label, days in (("expired", -1), ("open1", 30), ("open2", 5)):
        await _invite(session, person, label, days)
    assert used.id is not None
    assert await claim_invitation(session=session, invitation_id=used.id, telegram_id=5, now=NOW)

    other = await add_representative(
        session, telegram_id=None, delegation=await add_delegation(session, "B")
    )
    await _invite(session, other, "other")

    later = NOW + timedelta(hours=1)
    # What staff are shown as open is what revoking voids: one rule for both.
    listed = await open_invitations(session=session, person_id=person.id or 0, now=later)
    assert [i.token_hash for i in listed] == ["t-open1", "t-open2"]
    assert await revoke_open_invitations(session=session, person_id=person.id or 0, now=later) == 2
    assert await revoke_open_invitations(session=session, person_id=person.id or 0, now=later) == 0
    assert await open_invitations(session=session, person_id=person.id or 0, now=later) == []
    assert len(await open_invitations(session=session, person_id=other.id or 0, now=later)) == 1

    rows = {
        i.token_hash: i for i in await list_invitations(session=session, person_id=person.id or 0)
    }
    assert rows["t-open1"].revoked_at == later
    assert rows["t-open2"].revoked_at == later
    assert rows["t-used"].revoked_at is None
    assert rows["t-expired"].revoked_at is None


async def test_an_invitation_is_claimed_once(session: AsyncSession) -> None:
    person = await add_representative(
        session, telegram_id=None, delegation=await add_delegation(session)
    )
    invitation = await _invite(session, person, "a")
    assert invitation.id is not None

    assert await claim_invitation(
        session=session, invitation_id=invitation.id, telegram_id=5, now=NOW
    )
    assert not await claim_invitation(
        session=session, invitation_id=invitation.id, telegram_id=6, now=NOW
    )
    await session.refresh(invitation)
    assert invitation.used_by_telegram_id == 5
    assert invitation.used_at == NOW


async def test_a_revoked_invitation_cannot_be_claimed(session: AsyncSession) -> None:
    person = await add_representative(
        session, telegram_id=None, delegation=await add_delegation(session)
    )
    invitation = await _invite(session, person, "a")
    assert invitation.id is not None
    await revoke_open_invitations(session=session, person_id=person.id or 0, now=NOW)

    assert not await claim_invitation(
        session=session, invitation_id=invitation.id, telegram_id=5, now=NOW
    )


async def test_code_attempts_are_saved_and_cleared(session: AsyncSession) -> None:
    assert await get_code_attempt(session=session, telegram_id=42) is None
    await save_code_attempt(session=session, telegram_id=42, failures=2, locked_until=None)
    locked = NOW + timedelta(hours=1)
    await save_code_attempt(session=session, telegram_id=42, failures=5, locked_until=locked)

    attempt = await get_code_attempt(session=session, telegram_id=42)
    assert attempt is not None
    assert (attempt.failures, attempt.locked_until) == (5, locked)

    await clear_code_attempt(session=session, telegram_id=42)
    assert await get_code_attempt(session=session, telegram_id=42) is None
    await clear_code_attempt(session=session, telegram_id=42)


async def test_setting_the_telegram_id_clears_the_unreachable_flag(session: AsyncSession) -> None:
    person = await add_representative(
        session, telegram_id=1, delegation=await add_delegation(session)
    )
    person.unreachable = True

    await set_person_telegram_id(session=session, person=person, telegram_id=None, now=NOW)

    await session.refresh(person)
    assert person.telegram_id is None
    assert person.unreachable is False
    assert person.updated_at == NOW


async def test_search_is_by_active_mandate_in_the_delegations(session: AsyncSession) -> None:
    luoyang = await add_delegation(session, "驻洛阳代表")
    nanyang = await add_delegation(session, "驻南阳代表")
    wang = await add_representative(session, telegram_id=None, delegation=luoyang, name="王建国")
    await add_representative(session, telegram_id=None, delegation=nanyang, name="王建")
    retired = await add_representative(session, telegram_id=None, delegation=luoyang, name="王建华")
    mandate = await session.scalar(select(Mandate).where(col(Mandate.person_id) == retired.id))
    assert mandate is not None
    mandate.active = False
    await session.flush()
    assert luoyang.id is not None

    everyone = await search_people(session=session, text="王建", delegation_ids=None, limit=10)
    only_luoyang = await search_people(
        session=session, text="王建", delegation_ids=frozenset({luoyang.id}), limit=10
    )

    assert [p.name for p in everyone] == ["王建", "王建国"]
    assert only_luoyang == [wang]


async def test_search_treats_like_wildcards_as_text(session: AsyncSession) -> None:
    delegation = await add_delegation(session)
    await add_representative(session, telegram_id=None, delegation=delegation, name="王建国")

    assert await search_people(session=session, text="%", delegation_ids=None, limit=10) == []
    assert await search_people(session=session, text="王_国", delegation_ids=None, limit=10) == []


async def test_unbound_people_and_their_delegations(session: AsyncSession) -> None:
    luoyang = await add_delegation(session, "驻洛阳代表")
    province = await add_delegation(session, "省直代表")
    li = await add_representative(session, telegram_id=None, delegation=luoyang, name="李红")
    await add_representative(session, telegram_id=99, delegation=luoyang, name="赵强")
    assert li.id is not None
    assert province.id is not None
    session.add(
        Mandate(person_id=li.id, level=province.level, term_number=14, delegation_id=province.id)
    )
    await session.flush()

    assert await unbound_people(session=session, delegation_ids=None) == [li]
    names = await active_delegation_names(session=session, person_ids=[li.id], delegation_ids=None)
    assert names == {li.id: ["省直代表", "驻洛阳代表"]}
    scoped = await active_delegation_names(
        session=session, person_ids=[li.id], delegation_ids=frozenset({province.id})
    )
    assert scoped == {li.id: ["省直代表"]}
