"""/log step by step through the Dispatcher."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from tests.handlers.log_support import activities, guided_to_card, labels, last_card, seed_rep
from tests.harness import Harness


async def test_guided_flow_saves_an_activity(tg: Harness, session: AsyncSession) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    card = last_card(tg, rep.user)
    print(card)
    print(labels(tg, rep.user))
    await tg.press_label(rep.user, "Save")
    print(tg.api.texts(rep.user.id)[-1])
    [saved] = await activities(session, rep.person_id)
    assert saved.points == 3
