"""Each feature's one-use card has a slot of its own: showing or spending one card never expires
another feature's (a /log draft's, a quick-entry offer's, a staff card's)."""

from __future__ import annotations

from aiogram.types import User
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.models import Invitation
from tests.factories import add_representative, add_staff
from tests.handlers.log_support import Rep, activities, guided_to_card, last_card, seed_rep
from tests.handlers.test_log_resume import button_data
from tests.harness import Harness

EXPIRED = "This button has expired. Please start again."
OFFER = "Log this as an activity?"


async def rep_who_is_staff(session: AsyncSession) -> tuple[Rep, int]:
    """A representative who is also staff of their delegation, and another representative
    there (not on Telegram, no invitation yet): the id of the other."""
    rep = await seed_rep(session)
    await add_staff(session, telegram_id=rep.user.id, delegations=[rep.delegation])
    other = await add_representative(
        session, telegram_id=None, delegation=rep.delegation, name="赵丽娟"
    )
    assert other.id is not None
    other_id = other.id
    await session.commit()
    return rep, other_id


async def open_staff_card(tg: Harness, user: User) -> str:
    """/invite with part of a name: a staff card of choices; the data of its one button."""
    assert await tg.send(user, "/invite 赵丽") == (
        "No one is called exactly that. Whom do you mean?"
    )
    return button_data(tg, user, "赵丽娟 · 驻洛省十四届人大代表")


async def invitations(session: AsyncSession, person_id: int) -> int:
    query = (
        select(func.count()).select_from(Invitation).where(col(Invitation.person_id) == person_id)
    )
    count = await session.scalar(query)
    await session.commit()
    return int(count or 0)


async def test_a_staff_card_opened_mid_log_leaves_the_log_card_working_and_back(
    tg: Harness, session: AsyncSession
) -> None:
    rep, other_id = await rep_who_is_staff(session)
    await guided_to_card(tg, rep)
    save = button_data(tg, rep.user, "Save")
    choose = await open_staff_card(tg, rep.user)

    await tg.press(rep.user, save)

    assert tg.api.alerts() == []
    assert len(await activities(session, rep.person_id)) == 1
    await tg.press(rep.user, choose)
    assert tg.api.alerts() == []
    assert await invitations(session, other_id) == 1


async def test_an_offer_and_a_staff_card_leave_each_other_working(
    tg: Harness, session: AsyncSession
) -> None:
    rep, other_id = await rep_who_is_staff(session)
    choose = await open_staff_card(tg, rep.user)
    assert await tg.send(rep.user, "Inspection Museum visit") == OFFER
    no = button_data(tg, rep.user, "No")
    await tg.press(rep.user, choose)
    await tg.press(rep.user, no)

    assert tg.api.alerts() == []
    assert tg.api.last_text(rep.user.id) == "All right, nothing was logged."
    assert await invitations(session, other_id) == 1


async def test_an_accepted_offer_and_its_card_leave_a_staff_card_working(
    tg: Harness, session: AsyncSession
) -> None:
    rep, other_id = await rep_who_is_staff(session)
    choose = await open_staff_card(tg, rep.user)
    assert await tg.send(rep.user, "Inspection today Museum Visit") == OFFER
    await tg.press_label(rep.user, "Yes")
    assert "Type: Inspection" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save")
    await tg.press(rep.user, choose)

    assert tg.api.alerts() == []
    assert len(await activities(session, rep.person_id)) == 1
    assert await invitations(session, other_id) == 1


async def test_a_log_card_leaves_an_earlier_offer_working(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    assert await tg.send(rep.user, "Inspection Museum visit") == OFFER
    no = button_data(tg, rep.user, "No")
    await guided_to_card(tg, rep)
    await tg.press(rep.user, no)

    assert tg.api.alerts() == []
    assert tg.api.last_text(rep.user.id) == "All right, nothing was logged."
    await tg.press_label(rep.user, "Save")
    assert len(await activities(session, rep.person_id)) == 1


async def test_a_concern_recorded_start_to_end_leaves_a_staff_card_working(
    tg: Harness, session: AsyncSession
) -> None:
    rep, other_id = await rep_who_is_staff(session)
    choose = await open_staff_card(tg, rep.user)
    await tg.send(rep.user, "/concern")
    await tg.press_label(rep.user, "Environment")
    await tg.send(rep.user, "Dust from a building site")
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "No")
    await tg.press_label(rep.user, "Save")
    await tg.press(rep.user, choose)

    assert tg.api.alerts() == []
    assert await invitations(session, other_id) == 1
