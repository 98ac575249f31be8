"""Text with a control character (Word's line break is a vertical tab, U+000B) is accepted and
stored as written; every spreadsheet that later holds it must still be written."""

from __future__ import annotations

from aiogram.methods import SendDocument
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_keyboards import ConcernExport
from tests.factories import add_staff, make_user
from tests.handlers.log_support import activities, guided_to_card, seed_rep
from tests.harness import Harness

STAFF = 8611
PASTED = "Met the residents\x0bof Xigong district"


async def test_a_summary_with_a_control_character_does_not_break_the_duty_record(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect: an activity summary holding U+000B is saved, and from then on /record answers
    "Something went wrong" for the whole year: openpyxl refuses the character when the XLSX is
    written (services/files.py write_xlsx_sheets passes cells through unchanged)."""
    rep = await seed_rep(session)
    await guided_to_card(tg, rep, summary=PASTED)
    await tg.press_label(rep.user, "Save")
    assert [a.summary for a in await activities(session, rep.person_id)] == [PASTED]

    await tg.feed_one("/record", rep.user)

    assert not any(t.startswith("Something went wrong") for t in tg.api.texts(rep.user.id))
    documents = [r for r in tg.api.sent(rep.user.id) if isinstance(r, SendDocument)]
    assert len(documents) == 2


async def test_a_concern_with_a_control_character_does_not_break_the_staff_export(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect: a concern summary holding U+000B is saved through /concern; afterwards the staff
    XLSX export of every concern in that scope fails with "Something went wrong" (the same
    unwritable cell in services/files.py write_xlsx_sheets)."""
    rep = await seed_rep(session)
    await add_staff(session, telegram_id=STAFF, delegations=[rep.delegation])
    await session.commit()
    await tg.send(rep.user, "/concern")
    await tg.press_label(rep.user, "Livelihood")
    await tg.send(rep.user, PASTED)
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "Skip")
    await tg.press_label(rep.user, "No")
    await tg.press_label(rep.user, "Save")
    assert tg.api.texts(rep.user.id)[-2].startswith("Concern #")

    staff = make_user(STAFF, language_code="en")
    await tg.press(staff, ConcernExport())

    assert not any(t.startswith("Something went wrong") for t in tg.api.alerts())
    documents = [r for r in tg.api.sent(STAFF) if isinstance(r, SendDocument)]
    assert len(documents) == 1
