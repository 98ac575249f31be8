"""Concerns reached through buttons that name a logged activity."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from handlers.concerns_keyboards import ConcernFromReception
from tests.handlers.log_support import activities, guided_to_card, seed_rep
from tests.harness import Harness

NOT_FOUND = "That record does not exist or is not yours."


async def test_a_concern_cannot_start_from_an_activity_that_is_not_a_reception(
    tg: Harness, session: AsyncSession
) -> None:
    """Defect: the "Record a concern from this reception" button is shown only under a saved
    reception, but a forged cfrom naming one's own inspection starts the dialog and the concern
    is then stored linked to that inspection. services/concerns/flow.py draft_from_reception
    checks the owner but not that the activity is a reception."""
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "Save")
    inspection = (await activities(session, rep.person_id))[0]
    assert inspection.type_id == rep.type_ids["inspection"]
    before = len(tg.api.texts(rep.user.id))

    await tg.press(rep.user, ConcernFromReception(activity_id=inspection.id or 0))

    assert tg.api.alerts() == [NOT_FOUND]
    assert len(tg.api.texts(rep.user.id)) == before
