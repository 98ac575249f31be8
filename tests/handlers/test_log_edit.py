"""Editing a saved activity from its `aedit` button: the owner's own entries only."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.log_keyboards import EditActivity
from storage.duty_models import Activity, ActivityType
from storage.models import Delegation
from tests.factories import add_representative, make_user
from tests.handlers.log_support import Rep, activities, guided_to_card, last_card, seed_rep
from tests.harness import Harness

NOT_FOUND = "That record does not exist or is not yours."


async def _logged(tg: Harness, session: AsyncSession, rep: Rep) -> Activity:
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    return row


async def test_an_entry_opens_on_the_card_and_its_changes_are_saved(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    row = await _logged(tg, session, rep)
    assert row.id is not None
    activity_id, created, first_update = row.id, row.created_at, row.updated_at
    await tg.press(rep.user, EditActivity(activity_id=activity_id))
    card = last_card(tg, rep.user)
    assert "Editing an activity" in card
    assert "Summary: Museum visit" in card
    await tg.press_label(rep.user, "✏️ Summary")
    await tg.send(rep.user, "Museum visit, with notes")
    await tg.press_label(rep.user, "Save changes")
    assert tg.api.last_text(rep.user.id).startswith("✅ Changes saved.")
    [row] = await activities(session, rep.person_id)
    assert (row.id, row.summary, row.points, row.created_at) == (
        activity_id,
        "Museum visit, with notes",
        3,
        created,
    )
    assert row.updated_at > first_update


async def test_an_edit_keeps_the_points_it_earned_unless_the_type_changes(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    row = await _logged(tg, session, rep)
    assert row.id is not None
    activity_id = row.id
    for code, points in (("inspection", 7), ("reception", 5)):
        kind = await session.get(ActivityType, rep.type_ids[code])
        assert kind is not None
        kind.points = points
        session.add(kind)
    await session.commit()
    await tg.press(rep.user, EditActivity(activity_id=activity_id))
    assert "Points: 3" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "✏️ Place")
    await tg.send(rep.user, "Old town")
    await tg.press_label(rep.user, "Save changes")
    [row] = await activities(session, rep.person_id)
    assert (row.place, row.points) == ("Old town", 3)
    await tg.press(rep.user, EditActivity(activity_id=activity_id))
    await tg.press_label(rep.user, "✏️ Type")
    await tg.press_label(rep.user, "Reception")
    assert "Points: 5" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save changes")
    [row] = await activities(session, rep.person_id)
    assert row.points == 5


async def test_another_persons_or_a_deleted_entry_is_not_found(
    tg: Harness, session: AsyncSession
) -> None:
    owner = await seed_rep(session)
    row = await _logged(tg, session, owner)
    assert row.id is not None
    activity_id, summary = row.id, row.summary
    other = make_user(8102, language_code="en")
    delegation = await session.get(Delegation, owner.delegation_id)
    assert delegation is not None
    await add_representative(
        session, telegram_id=other.id, delegation=delegation, name="李四", language="en"
    )
    await session.commit()
    tg.api.clear()
    await tg.press(other, EditActivity(activity_id=activity_id))
    await tg.press(other, EditActivity(activity_id=activity_id + 1000))
    assert tg.api.alerts() == [NOT_FOUND, NOT_FOUND]
    key = tg.app.dispatcher.fsm.get_context(tg.app.bot, chat_id=other.id, user_id=other.id)
    assert await key.get_state() is None
    row.deleted_at = datetime.now(UTC)
    session.add(row)
    await session.commit()
    tg.api.clear()
    await tg.press(owner.user, EditActivity(activity_id=activity_id))
    assert tg.api.alerts() == [NOT_FOUND]
    [row] = await activities(session, owner.person_id)
    assert row.summary == summary
