"""Moving a saved concern to its next state asks for a note or a department, a dialog too: with
an unsaved activity or concern open, it asks first to continue that or to discard it."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_keyboards import ConcernMove
from services.config import Settings
from storage.duty_models import Concern, ConcernState
from storage.models import Person
from tests.factories import add_concern
from tests.handlers.log_support import activities, labels, seed_rep
from tests.handlers.test_dialogs import ACTIVITY_OPEN, PLACE_QUESTION, activity_to_place
from tests.handlers.test_log_resume import today_en
from tests.harness import Harness


async def saved_concern(session: AsyncSession, person: Person, state: str) -> int:
    concern = await add_concern(session, person=person, summary="Bus stop", state=state)
    assert concern.id is not None
    concern_id = concern.id
    await session.commit()
    return concern_id


async def state_of(session: AsyncSession, concern_id: int) -> str:
    session.expire_all()
    concern = await session.get(Concern, concern_id)
    assert concern is not None
    await session.commit()
    return concern.state


async def test_closing_a_concern_with_an_activity_open_asks_first(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    rep = await seed_rep(session)
    concern_id = await saved_concern(session, rep.person, "received")
    await activity_to_place(tg, rep.user)
    close = ConcernMove(concern=concern_id, to=ConcernState.closed)

    await tg.press(rep.user, close)

    assert tg.api.last_text(rep.user.id) == ACTIVITY_OPEN.format(day=today_en(settings))
    assert labels(tg, rep.user) == ["Continue", "Start new"]
    await tg.press_label(rep.user, "Continue")
    assert tg.api.last_text(rep.user.id).startswith(PLACE_QUESTION)
    await tg.press(rep.user, close)
    await tg.press_label(rep.user, "Start new")
    assert tg.api.last_text(rep.user.id) == f"Why is concern #{concern_id} being closed?"
    await tg.send(rep.user, "Withdrawn")
    assert await state_of(session, concern_id) == "closed"
    assert await tg.send(rep.user, "/log") == "What kind of activity was it?"
    assert await activities(session, rep.person_id) == []


async def test_a_refused_change_says_so_and_leaves_the_activity_open(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    concern_id = await saved_concern(session, rep.person, "closed")
    await activity_to_place(tg, rep.user)

    await tg.press(rep.user, ConcernMove(concern=concern_id, to=ConcernState.forwarded))

    assert tg.api.last_text(rep.user.id) == (
        f"Concern #{concern_id} is closed; it cannot change any more."
    )
    assert await tg.send(rep.user, "Museum") == "Describe what you did. Any length is fine."


async def test_a_concern_moved_on_meanwhile_is_said_and_the_activity_goes_on(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    concern_id = await saved_concern(session, rep.person, "received")
    await activity_to_place(tg, rep.user)
    await tg.press(rep.user, ConcernMove(concern=concern_id, to=ConcernState.closed))
    concern = await session.get(Concern, concern_id)
    assert concern is not None
    concern.state = ConcernState.closed
    await session.commit()

    await tg.press_label(rep.user, "Start new")

    texts = tg.api.texts(rep.user.id)
    assert texts[-2] == f"Concern #{concern_id} is closed; it cannot change any more."
    assert texts[-1].startswith(PLACE_QUESTION)
    assert await tg.send(rep.user, "Museum") == "Describe what you did. Any length is fine."
