"""The confirm card of /log: its edit buttons, the bulletin mark, saving once, escaping."""

from __future__ import annotations

from aiogram.types import User
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_keyboards import ConcernFromReception
from storage.duty_models import ActivityType
from tests.factories import add_delegation, add_mandate, make_location, make_photo
from tests.handlers.log_support import (
    activities,
    attachments_of,
    guided_to_card,
    labels,
    last_card,
    last_markup,
    seed_rep,
)
from tests.harness import Harness


async def _answer_type(tg: Harness, user: User) -> None:
    await tg.press_label(user, "Reception")


async def _answer_day(tg: Harness, user: User) -> None:
    await tg.send(user, "2026-01-05")


async def _answer_place(tg: Harness, user: User) -> None:
    await tg.feed(make_location(user=user, latitude=1.5, longitude=2.25))


async def _answer_summary(tg: Harness, user: User) -> None:
    await tg.send(user, "Met twelve constituents")


async def _answer_attachments(tg: Harness, user: User) -> None:
    await tg.feed(make_photo(user=user, file_id="x1"), make_photo(user=user, file_id="x2"))
    await tg.press_label(user, "Done")


EDITS = [
    ("✏️ Type", _answer_type, "Type: Reception", "Points: 2"),
    ("✏️ Date", _answer_day, "Date: Mon 5 Jan 2026", "Place: Luoyang Museum"),
    ("✏️ Place", _answer_place, "Place: 📍 1.50000, 2.25000", "Date: Mon 5 Jan 2026"),
    ("✏️ Summary", _answer_summary, "Summary: Met twelve constituents", "Type: Reception"),
    ("✏️ Photos and documents", _answer_attachments, "Photos and documents: 2", "Points: 2"),
]


async def test_each_edit_button_asks_its_step_and_returns_to_the_card(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    for label, answer, changed, kept in EDITS:
        await tg.press_label(rep.user, label)
        assert "Please check, then save" not in tg.api.last_text(rep.user.id), label
        await answer(tg, rep.user)
        card = last_card(tg, rep.user)
        assert changed in card, (label, card)
        assert kept in card, (label, card)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert (row.type_id, row.points) == (rep.type_ids["reception"], 2)
    assert (row.latitude, row.summary) == (1.5, "Met twelve constituents")


async def test_save_pressed_twice_saves_once_and_old_cards_say_so(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    first_card = last_markup(tg, rep.user)
    await tg.press_label(rep.user, "✏️ Summary")
    await tg.send(rep.user, "Second thoughts")
    save = next(
        b for row in last_markup(tg, rep.user).inline_keyboard for b in row if b.text == "Save"
    )
    assert save.callback_data is not None
    await tg.press(rep.user, save.callback_data)
    tg.api.clear()
    await tg.press(rep.user, save.callback_data)
    await tg.press(rep.user, save.callback_data.replace("save", "summary"))
    old = first_card.inline_keyboard[-1][0].callback_data
    assert old is not None
    await tg.press(rep.user, old)
    assert tg.api.alerts() == [
        "This activity has already been saved.",
        "This activity has already been saved.",
        "This button has expired. Please start again.",
    ]
    [row] = await activities(session, rep.person_id)
    assert row.summary == "Second thoughts"


async def test_html_in_every_field_is_escaped_and_a_huge_summary_is_stored_whole(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    summary = "<b>x</b>&" + "长" * 4088
    assert len(summary) == 4097
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    await tg.send(rep.user, "<i>Hall</i> & co")
    await tg.send(rep.user, summary)
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "☐ For the bulletin")
    await tg.send(rep.user, "<script>note</script>")
    card = last_card(tg, rep.user)
    assert "Place: &lt;i&gt;Hall&lt;/i&gt; &amp; co" in card
    assert "Summary: &lt;b&gt;x&lt;/b&gt;&amp;长" in card
    assert "(shortened here: 4097 characters in all; all of it will be saved)" in card
    assert "For the bulletin: yes — &lt;script&gt;note&lt;/script&gt;" in card
    assert "<b>x</b>" not in card
    assert len(card) <= 4096
    assert "☑ For the bulletin" in labels(tg, rep.user)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.summary == summary
    assert (row.for_bulletin, row.bulletin_note) == (True, "<script>note</script>")


async def test_the_bulletin_mark_toggles_off_and_a_long_note_is_refused(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "☐ For the bulletin")
    assert tg.api.last_text(rep.user.id) == (
        "Write a short note for the bulletin (up to 500 characters)."
    )
    assert await tg.send(rep.user, "n" * 501) == (
        "The note for the bulletin can be at most 500 characters; yours has 501."
    )
    await tg.send(rep.user, "A good example")
    await tg.press_label(rep.user, "☑ For the bulletin")
    assert "For the bulletin: no" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert (row.for_bulletin, row.bulletin_note) == (False, None)


async def test_a_saved_reception_offers_to_record_a_concern(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await tg.send(rep.user, "/log")
    await tg.press_label(rep.user, "Reception")
    await tg.press_label(rep.user, "Today")
    await tg.press_label(rep.user, "Skip")
    await tg.send(rep.user, "Open day")
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.id is not None
    [[button]] = last_markup(tg, rep.user).inline_keyboard
    assert button.text == "Record a concern from this reception"
    assert button.callback_data == ConcernFromReception(activity_id=row.id).pack()


async def test_points_are_those_of_the_type_when_logged(tg: Harness, session: AsyncSession) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "Save")
    kind = await session.get(ActivityType, rep.type_ids["inspection"])
    assert kind is not None
    kind.points = 9
    await session.commit()
    [row] = await activities(session, rep.person_id)
    assert row.points == 3
    await guided_to_card(tg, rep)
    assert "Points: 9" in last_card(tg, rep.user)


async def test_with_two_mandates_the_choice_comes_first_and_is_remembered(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    city = await add_delegation(session, "洛阳市人大代表")
    second = await add_mandate(session, rep.person, city)
    second_id, city_id = second.id, city.id
    await session.commit()
    assert await tg.send(rep.user, "/log") == "Which mandate does this activity count for?"
    assert labels(tg, rep.user) == [
        "provincial: 驻洛省十四届人大代表",
        "provincial: 洛阳市人大代表",
        "Cancel",
    ]
    await tg.press_label(rep.user, "provincial: 洛阳市人大代表")
    assert tg.api.last_text(rep.user.id) == "What kind of activity was it?"
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    await tg.press_label(rep.user, "Skip")
    await tg.send(rep.user, "Visit")
    await tg.press_label(rep.user, "Skip")
    assert "Counts for: provincial: 洛阳市人大代表" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert (row.mandate_id, row.delegation_id) == (second_id, city_id)
    assert await tg.send(rep.user, "/log") == "What kind of activity was it?"
    await tg.press_label(rep.user, "Inspection")
    await tg.press_label(rep.user, "Today")
    await tg.press_label(rep.user, "Skip")
    await tg.send(rep.user, "Again")
    await tg.press_label(rep.user, "Skip")
    assert "Counts for: provincial: 洛阳市人大代表" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "✏️ Counts for")
    await tg.press_label(rep.user, "provincial: 驻洛省十四届人大代表")
    assert "Counts for: provincial: 驻洛省十四届人大代表" in last_card(tg, rep.user)


async def test_files_added_from_the_card_can_all_be_removed(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "✏️ Photos and documents")
    await _answer_attachments(tg, rep.user)
    await tg.press_label(rep.user, "✏️ Photos and documents")
    assert labels(tg, rep.user) == ["Done", "Remove all", "Cancel"]
    await tg.press_label(rep.user, "Remove all")
    assert tg.api.last_text(rep.user.id) == "Removed. Send photos or documents, or press Skip."
    await tg.press_label(rep.user, "Skip")
    assert "Photos and documents: 0" in last_card(tg, rep.user)
    await tg.press_label(rep.user, "Save")
    [row] = await activities(session, rep.person_id)
    assert row.id is not None
    assert await attachments_of(session, row.id) == []
