"""The invitation service: issuing, redeeming by link and by code, lockout, scope and audit."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.errors import NotFound
from services.invitations import (
    AccountAlreadyBound,
    CodeLocked,
    InvitationExpired,
    InvitationRevoked,
    InvitationUnknown,
    InvitationUsed,
    IssuedInvitation,
    MandateOutsideScope,
    PersonAlreadyBound,
    PersonLinked,
    PersonNotInScope,
    ensure_person_in_scope,
    find_people,
    issue_for_unbound,
    issue_invitation,
    person_for_staff_action,
    qr_png,
    rebind,
    redeem_code,
    redeem_token,
    revoke_invitations,
)
from storage.audit import list_audit
from storage.models import AuditLog, CodeAttempt, Delegation, Invitation, Mandate, Person
from tests.factories import add_delegation, add_representative

NOW = datetime(2024, 3, 21, 2, 0, tzinfo=UTC)
STAFF = 700_001
REP, OTHER = 800_001, 800_002
UNAMBIGUOUS = re.compile(r"[A-HJKMNP-Z2-9]{8}")


async def _person(session: AsyncSession, name: str = "王建国", tg: int | None = None) -> Person:
    return await add_representative(
        session,
        telegram_id=tg,
        delegation=await add_delegation(session, f"驻{name}代表"),
        name=name,
    )


async def _issue(session: AsyncSession, person: Person, now: datetime = NOW) -> IssuedInvitation:
    assert person.id is not None
    return await issue_invitation(
        session=session, person_id=person.id, actor_telegram_id=STAFF, now=now, ttl_days=30
    )


async def _invitations(session: AsyncSession, person: Person) -> list[Invitation]:
    query = (
        select(Invitation)
        .where(col(Invitation.person_id) == person.id)
        .order_by(col(Invitation.id))
    )
    return list((await session.scalars(query)).all())


async def _bound_to(session: AsyncSession, person: Person) -> int | None:
    await session.refresh(person)
    return person.telegram_id


# Issuing


async def test_issue_returns_a_short_url_safe_token_and_an_unambiguous_code(
    session: AsyncSession,
) -> None:
    person = await _person(session)

    issued = await _issue(session, person)

    assert issued.person_id == person.id
    assert (issued.name, issued.delegation) == ("王建国", "驻王建国代表")
    assert len(issued.token) <= 64
    assert re.fullmatch(r"[A-Za-z0-9_-]{22}", issued.token)
    assert UNAMBIGUOUS.fullmatch(issued.code)
    assert issued.printed_code == f"{issued.code[:4]}-{issued.code[4:]}"
    assert issued.expires_at == NOW + timedelta(days=30)
    assert issued.link("liaison_bot") == f"https://t.me/liaison_bot?start={issued.token}"


async def test_tokens_and_codes_are_stored_only_as_hashes(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)

    rows = (await session.execute(text("SELECT * FROM invitation"))).all()
    stored = " ".join(str(value) for row in rows for value in row)
    (invitation,) = await _invitations(session, person)

    assert issued.token not in stored
    assert issued.code not in stored
    assert invitation.token_hash == hashlib.sha256(issued.token.encode()).hexdigest()
    assert invitation.code_hash == hashlib.sha256(issued.code.encode()).hexdigest()
    assert invitation.created_by_telegram_id == STAFF
    assert issued.token not in repr(issued)
    assert issued.code not in repr(issued)


async def test_each_invitation_gets_its_own_token_and_code(session: AsyncSession) -> None:
    people = [await _person(session, name) for name in ("甲", "乙", "丙")]
    issued = [await _issue(session, person) for person in people]

    assert len({i.token for i in issued}) == 3
    assert len({i.code for i in issued}) == 3


async def test_issuing_again_revokes_the_earlier_unused_invitation(session: AsyncSession) -> None:
    person = await _person(session)
    first = await _issue(session, person)
    second = await _issue(session, person, NOW + timedelta(minutes=5))

    old, new = await _invitations(session, person)
    assert old.revoked_at == NOW + timedelta(minutes=5)
    assert new.revoked_at is None
    with pytest.raises(InvitationRevoked):
        await redeem_token(session=session, token=first.token, telegram_id=REP, now=NOW)
    assert await _bound_to(session, person) is None
    await redeem_token(session=session, token=second.token, telegram_id=REP, now=NOW)
    assert await _bound_to(session, person) == REP


async def test_no_invitation_for_someone_already_linked(session: AsyncSession) -> None:
    person = await _person(session, tg=REP)

    with pytest.raises(PersonLinked) as caught:
        await _issue(session, person)

    assert caught.value.params == {"name": "王建国"}
    assert await _invitations(session, person) == []


async def test_no_invitation_for_an_unknown_person(session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await issue_invitation(
            session=session, person_id=404, actor_telegram_id=STAFF, now=NOW, ttl_days=30
        )


async def test_issuing_is_audited_without_secrets(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)

    (entry,) = await list_audit(session=session, action="invite.issue")

    assert entry.actor_telegram_id == STAFF
    assert entry.target == f"person:{person.id}"
    assert issued.token not in str(entry.details)
    assert issued.code not in str(entry.details)


# Redeeming a link


async def test_redeeming_a_link_binds_the_account(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)

    bound = await redeem_token(
        session=session, token=issued.token, telegram_id=REP, now=NOW + timedelta(days=1)
    )

    assert bound.id == person.id
    assert await _bound_to(session, person) == REP
    (invitation,) = await _invitations(session, person)
    assert invitation.used_at == NOW + timedelta(days=1)
    assert invitation.used_by_telegram_id == REP


async def test_opening_ones_own_used_link_again_succeeds_and_changes_nothing(
    session: AsyncSession,
) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    await redeem_token(session=session, token=issued.token, telegram_id=REP, now=NOW)

    again = await redeem_token(
        session=session, token=issued.token, telegram_id=REP, now=NOW + timedelta(days=60)
    )

    assert again.id == person.id
    (invitation,) = await _invitations(session, person)
    assert invitation.used_at == NOW


async def test_a_used_link_does_not_work_for_another_account(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    await redeem_token(session=session, token=issued.token, telegram_id=REP, now=NOW)

    with pytest.raises(InvitationUsed):
        await redeem_token(session=session, token=issued.token, telegram_id=OTHER, now=NOW)

    assert await _bound_to(session, person) == REP


async def test_an_expired_link_binds_nothing_and_names_the_date(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)

    with pytest.raises(InvitationExpired) as caught:
        await redeem_token(
            session=session, token=issued.token, telegram_id=REP, now=NOW + timedelta(days=30)
        )

    assert caught.value.params == {"date": "2024-04-20"}
    assert await _bound_to(session, person) is None
    (invitation,) = await _invitations(session, person)
    assert invitation.used_at is None


async def test_the_expiry_date_is_given_in_the_time_zone_of_now(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person, datetime(2024, 3, 21, 20, 0, tzinfo=UTC))
    shanghai_now = datetime(2024, 5, 1, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

    with pytest.raises(InvitationExpired) as caught:
        await redeem_token(session=session, token=issued.token, telegram_id=REP, now=shanghai_now)

    # 2024-04-20 20:00 UTC is 2024-04-21 04:00 in Shanghai.
    assert caught.value.params == {"date": "2024-04-21"}


async def test_a_revoked_link_binds_nothing(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    assert person.id is not None

    revoked = await revoke_invitations(
        session=session, person_id=person.id, actor_telegram_id=STAFF, now=NOW
    )

    assert revoked == 1
    with pytest.raises(InvitationRevoked):
        await redeem_token(session=session, token=issued.token, telegram_id=REP, now=NOW)
    assert await _bound_to(session, person) is None


@pytest.mark.parametrize("token", ["", "nonsense", "x" * 64, "王建国"])
async def test_an_unknown_link_binds_nothing(session: AsyncSession, token: str) -> None:
    person = await _person(session)
    await _issue(session, person)

    with pytest.raises(InvitationUnknown):
        await redeem_token(session=session, token=token, telegram_id=REP, now=NOW)

    assert await _bound_to(session, person) is None


async def test_a_person_linked_to_another_account_must_be_rebound_by_staff(
    session: AsyncSession,
) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    person.telegram_id = REP  # linked meanwhile, e.g. by a roster import that knew the account
    await session.flush()

    with pytest.raises(PersonAlreadyBound):
        await redeem_token(session=session, token=issued.token, telegram_id=OTHER, now=NOW)

    assert await _bound_to(session, person) == REP
    (invitation,) = await _invitations(session, person)
    assert invitation.used_at is None


async def test_an_account_linked_to_someone_else_cannot_take_a_second_entry(
    session: AsyncSession,
) -> None:
    await _person(session, "李红", tg=REP)
    person = await _person(session, "王建国")
    issued = await _issue(session, person)

    with pytest.raises(AccountAlreadyBound) as caught:
        await redeem_token(session=session, token=issued.token, telegram_id=REP, now=NOW)

    assert caught.value.params == {"name": "李红"}
    assert await _bound_to(session, person) is None
    (invitation,) = await _invitations(session, person)
    assert invitation.used_at is None


# Typed codes


@pytest.mark.parametrize(
    "typing", [str.lower, lambda c: f" {c[:4]} - {c[4:]} ", lambda c: f"{c[:4]}\u3000{c[4:]}"]
)
async def test_a_typed_code_binds_however_it_is_spaced_or_cased(
    session: AsyncSession, typing: Callable[[str], str]
) -> None:
    person = await _person(session)
    issued = await _issue(session, person)

    bound = await redeem_code(session=session, code=typing(issued.code), telegram_id=REP, now=NOW)

    assert bound.id == person.id
    assert await _bound_to(session, person) == REP


async def test_a_code_in_full_width_characters_is_understood(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in issued.printed_code)

    await redeem_code(session=session, code=full_width, telegram_id=REP, now=NOW)

    assert await _bound_to(session, person) == REP


async def _failures(session: AsyncSession, telegram_id: int = REP) -> CodeAttempt | None:
    session.expunge_all()
    return await session.get(CodeAttempt, telegram_id)


async def test_five_wrong_codes_lock_code_entry_for_an_hour(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    await session.commit()

    for attempt in range(4):
        with pytest.raises(InvitationUnknown):
            await redeem_code(session=session, code="ABCD-EFGH", telegram_id=REP, now=NOW)
        stored = await _failures(session)
        assert stored is not None
        assert (stored.failures, stored.locked_until) == (attempt + 1, None)
    with pytest.raises(CodeLocked) as fifth:
        await redeem_code(session=session, code="ABCD-EFGH", telegram_id=REP, now=NOW)
    assert fifth.value.params == {"minutes": 60}

    # Even the right code is refused while locked, and says how long is left.
    with pytest.raises(CodeLocked) as later:
        await redeem_code(
            session=session, code=issued.code, telegram_id=REP, now=NOW + timedelta(minutes=30)
        )
    assert later.value.params == {"minutes": 30}
    stored = await _failures(session)
    assert stored is not None
    assert (stored.failures, stored.locked_until) == (5, NOW + timedelta(hours=1))
    person = await session.get(Person, person.id) or person
    assert person.telegram_id is None

    # Other accounts are not affected by the lock.
    with pytest.raises(InvitationUnknown):
        await redeem_code(session=session, code="ABCD-EFGH", telegram_id=OTHER, now=NOW)


async def test_the_lock_ends_after_an_hour(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    await session.commit()
    for _ in range(4):
        with pytest.raises(InvitationUnknown):
            await redeem_code(session=session, code="ABCDEFGH", telegram_id=REP, now=NOW)
    with pytest.raises(CodeLocked):
        await redeem_code(session=session, code="ABCDEFGH", telegram_id=REP, now=NOW)

    # A wrong code after the hour counts from one again instead of locking at once.
    an_hour_later = NOW + timedelta(hours=1)
    with pytest.raises(InvitationUnknown):
        await redeem_code(session=session, code="ABCDEFGH", telegram_id=REP, now=an_hour_later)
    stored = await _failures(session)
    assert stored is not None
    assert (stored.failures, stored.locked_until) == (1, None)

    bound = await redeem_code(session=session, code=issued.code, telegram_id=REP, now=an_hour_later)
    assert bound.telegram_id == REP
    assert await _failures(session) is None


async def test_a_right_code_resets_the_failures(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    await session.commit()
    for _ in range(3):
        with pytest.raises(InvitationUnknown):
            await redeem_code(session=session, code="ABCDEFGH", telegram_id=REP, now=NOW)

    await redeem_code(session=session, code=issued.code, telegram_id=REP, now=NOW)

    assert await _failures(session) is None


async def test_a_failure_survives_the_handlers_rollback(session: AsyncSession) -> None:
    await _issue(session, await _person(session))
    await session.commit()

    with pytest.raises(InvitationUnknown):
        await redeem_code(session=session, code="ABCDEFGH", telegram_id=REP, now=NOW)
    await session.rollback()

    stored = await _failures(session)
    assert stored is not None
    assert stored.failures == 1


@pytest.mark.parametrize("typed", ["", "ABC", "ABCDEFGHJ", "ABCD0OIL", "ABCD EFG!", "12345678"])
async def test_a_malformed_code_counts_as_a_failure(session: AsyncSession, typed: str) -> None:
    with pytest.raises(InvitationUnknown):
        await redeem_code(session=session, code=typed, telegram_id=REP, now=NOW)

    stored = await _failures(session)
    assert stored is not None
    assert stored.failures == 1


async def test_used_expired_and_revoked_codes_count_as_failures(session: AsyncSession) -> None:
    used_by_other = await _issue(session, await _person(session, "甲"))
    await redeem_code(session=session, code=used_by_other.code, telegram_id=OTHER, now=NOW)
    expired = await _issue(session, await _person(session, "乙"), NOW - timedelta(days=31))
    third = await _person(session, "丙")
    revoked = await _issue(session, third)
    await _issue(session, third)
    await session.commit()

    with pytest.raises(InvitationUsed):
        await redeem_code(session=session, code=used_by_other.code, telegram_id=REP, now=NOW)
    with pytest.raises(InvitationExpired):
        await redeem_code(session=session, code=expired.code, telegram_id=REP, now=NOW)
    with pytest.raises(InvitationRevoked):
        await redeem_code(session=session, code=revoked.code, telegram_id=REP, now=NOW)

    stored = await _failures(session)
    assert stored is not None
    assert stored.failures == 3


async def test_a_right_code_for_a_linked_person_is_not_a_failure(session: AsyncSession) -> None:
    person = await _person(session)
    issued = await _issue(session, person)
    person.telegram_id = OTHER
    await session.commit()

    with pytest.raises(PersonAlreadyBound):
        await redeem_code(session=session, code=issued.code, telegram_id=REP, now=NOW)

    assert await _failures(session) is None


# Staff: revoke, rebind, scope


async def test_revoking_counts_only_usable_invitations_and_is_audited(
    session: AsyncSession,
) -> None:
    person = await _person(session)
    await _issue(session, person)
    assert person.id is not None

    first = await revoke_invitations(
        session=session, person_id=person.id, actor_telegram_id=STAFF, now=NOW
    )
    second = await revoke_invitations(
        session=session, person_id=person.id, actor_telegram_id=STAFF, now=NOW
    )

    assert (first, second) == (1, 0)
    entries = await list_audit(session=session, action="invite.revoke")
    assert [(e.actor_telegram_id, e.target, e.details) for e in entries] == [
        (STAFF, f"person:{person.id}", {"revoked": 0}),
        (STAFF, f"person:{person.id}", {"revoked": 1}),
    ]


async def test_revoking_for_an_unknown_person_is_not_found(session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await revoke_invitations(session=session, person_id=404, actor_telegram_id=STAFF, now=NOW)


async def test_rebind_moves_a_person_to_a_new_account(session: AsyncSession) -> None:
    person = await _person(session)
    first = await _issue(session, person)
    await redeem_token(session=session, token=first.token, telegram_id=REP, now=NOW)
    stale = await _issue(session, await _person(session, "备用"))  # someone else's, untouched
    assert person.id is not None

    fresh = await rebind(
        session=session, person_id=person.id, actor_telegram_id=STAFF, now=NOW, ttl_days=30
    )

    assert await _bound_to(session, person) is None
    assert fresh.person_id == person.id
    assert fresh.token != first.token
    with pytest.raises(InvitationUsed):
        await redeem_token(session=session, token=first.token, telegram_id=OTHER, now=NOW)
    await redeem_token(session=session, token=fresh.token, telegram_id=OTHER, now=NOW)
    assert await _bound_to(session, person) == OTHER
    (entry,) = await list_audit(session=session, action="person.rebind")
    assert (entry.actor_telegram_id, entry.target) == (STAFF, f"person:{person.id}")
    assert entry.details == {"previous_telegram_id": REP, "revoked": 0}
    assert await redeem_token(session=session, token=stale.token, telegram_id=900, now=NOW)


async def test_rebind_revokes_an_unused_invitation(session: AsyncSession) -> None:
    person = await _person(session)
    unused = await _issue(session, person)
    assert person.id is not None

    await rebind(
        session=session, person_id=person.id, actor_telegram_id=STAFF, now=NOW, ttl_days=30
    )

    with pytest.raises(InvitationRevoked):
        await redeem_token(session=session, token=unused.token, telegram_id=REP, now=NOW)
    (entry,) = await list_audit(session=session, action="person.rebind")
    assert entry.details == {"previous_telegram_id": None, "revoked": 1}


async def _two_cities(session: AsyncSession) -> tuple[Delegation, Delegation]:
    return await add_delegation(session, "驻洛阳代表"), await add_delegation(session, "驻南阳代表")


async def test_find_people_stays_within_the_scope(session: AsyncSession) -> None:
    luoyang, nanyang = await _two_cities(session)
    await add_representative(session, telegram_id=None, delegation=luoyang, name="王建国")
    in_nanyang = await add_representative(session, telegram_id=REP, delegation=nanyang, name="王建")
    assert nanyang.id is not None

    found = await find_people(session=session, name="王建", scope=frozenset({nanyang.id}))
    assert await find_people(session=session, name="王建", scope=frozenset()) == []
    everyone = await find_people(session=session, name="王建", scope=None)

    assert [(m.person_id, m.name, m.delegations, m.bound) for m in found] == [
        (in_nanyang.id, "王建", ("驻南阳代表",), True)
    ]
    assert [(m.name, m.delegations, m.bound) for m in everyone] == [
        ("王建", ("驻南阳代表",), True),
        ("王建国", ("驻洛阳代表",), False),
    ]


async def test_find_people_puts_the_exact_name_first_and_stops_at_ten(
    session: AsyncSession,
) -> None:
    delegation = await add_delegation(session)
    for index in range(12):
        await add_representative(
            session, telegram_id=None, delegation=delegation, name=f"王{index}伟"
        )
    await add_representative(session, telegram_id=None, delegation=delegation, name="王伟")
    await add_representative(session, telegram_id=None, delegation=delegation, name="伟")

    found = await find_people(session=session, name="\u3000伟 ", scope=None)

    assert len(found) == 10
    assert found[0].name == "伟"
    padded = await find_people(session=session, name="王　伟", scope=None)
    assert padded == await find_people(session=session, name="王伟", scope=None)
    assert [m.name for m in padded] == ["王伟"]
    assert await find_people(session=session, name=" \u3000", scope=None) == []


async def test_find_people_ignores_ended_mandates(session: AsyncSession) -> None:
    person = await _person(session)
    mandate = await session.scalar(select(Mandate).where(col(Mandate.person_id) == person.id))
    assert mandate is not None
    mandate.active = False
    await session.flush()

    assert await find_people(session=session, name="王建国", scope=None) == []


async def test_ensure_person_in_scope(session: AsyncSession) -> None:
    luoyang, nanyang = await _two_cities(session)
    person = await add_representative(session, telegram_id=None, delegation=luoyang)
    assert person.id is not None
    assert luoyang.id is not None
    assert nanyang.id is not None

    found = await ensure_person_in_scope(
        session=session, person_id=person.id, scope=frozenset({luoyang.id})
    )
    assert found.id == person.id
    assert await ensure_person_in_scope(session=session, person_id=person.id, scope=None) == found
    with pytest.raises(PersonNotInScope):
        await ensure_person_in_scope(
            session=session, person_id=person.id, scope=frozenset({nanyang.id})
        )
    with pytest.raises(NotFound):
        await ensure_person_in_scope(session=session, person_id=404, scope=None)


async def test_issue_for_unbound_covers_the_scope_in_delegation_and_name_order(
    session: AsyncSession,
) -> None:
    luoyang, nanyang = await _two_cities(session)
    for name, delegation in (("赵强", nanyang), ("李红", nanyang), ("王建国", luoyang)):
        await add_representative(session, telegram_id=None, delegation=delegation, name=name)
    await add_representative(session, telegram_id=REP, delegation=nanyang, name="钱进")
    assert nanyang.id is not None

    in_nanyang = await issue_for_unbound(
        session=session, scope=frozenset({nanyang.id}), actor_telegram_id=STAFF, now=NOW, ttl_days=7
    )
    everyone = await issue_for_unbound(
        session=session, scope=None, actor_telegram_id=None, now=NOW, ttl_days=7
    )

    assert [(i.delegation, i.name) for i in in_nanyang] == [
        ("驻南阳代表", "李红"),
        ("驻南阳代表", "赵强"),
    ]
    assert [i.delegation for i in everyone] == ["驻南阳代表", "驻南阳代表", "驻洛阳代表"]
    assert {i.expires_at for i in everyone} == {NOW + timedelta(days=7)}
    # The second run replaced the first run's invitations.
    with pytest.raises(InvitationRevoked):
        await redeem_token(session=session, token=in_nanyang[0].token, telegram_id=1, now=NOW)
    actors = [e.actor_telegram_id for e in await list_audit(session=session, action="invite.issue")]
    assert actors.count(STAFF) == 2
    assert actors.count(None) == 3


async def test_audit_entries_name_the_person(session: AsyncSession) -> None:
    person = await _person(session)
    await _issue(session, person)

    entries = (await session.scalars(select(AuditLog))).all()

    assert {(e.action, e.target) for e in entries} == {("invite.issue", f"person:{person.id}")}


def test_qr_png_is_a_png_image() -> None:
    data = qr_png("https://t.me/liaison_bot?start=abc")

    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(data) > 200


async def test_a_mandate_outside_the_scope_keeps_staff_from_acting_on_a_person(
    session: AsyncSession,
) -> None:
    luoyang, nanyang = await _two_cities(session)
    person = await add_representative(session, telegram_id=REP, delegation=luoyang)
    assert person.id is not None
    assert luoyang.id is not None
    assert nanyang.id is not None
    session.add(
        Mandate(person_id=person.id, level=nanyang.level, term_number=18, delegation_id=nanyang.id)
    )
    await session.flush()
    only_luoyang = frozenset({luoyang.id})
    with pytest.raises(MandateOutsideScope):
        await person_for_staff_action(
            session=session, person_id=person.id, scope=only_luoyang, is_admin=False
        )
    both = frozenset({luoyang.id, nanyang.id})
    assert (
        await person_for_staff_action(
            session=session, person_id=person.id, scope=both, is_admin=False
        )
        == person
    )
    assert (
        await person_for_staff_action(
            session=session, person_id=person.id, scope=None, is_admin=True
        )
        == person
    )
