"""Concern follow-ups through `tick`: an open concern untouched for the configured days reminds
its representative once per untouched spell; a moved one again after another spell; a finished
one never; one past its use recorded missed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col, select

from bot.i18n import build_i18n
from handlers.concerns_keyboards import ConcernOpen
from services.concerns.followup_planner import concern_followups
from services.config import Settings
from services.deliveries.templates import Recipient, render
from services.scheduling.tick import tick
from storage.db import create_sessionmaker
from storage.delivery_models import Delivery
from storage.duty_models import ConcernState
from storage.scheduling import missed_reminders
from tests.factories import add_concern, add_delegation, add_representative
from tests.services.duty.kit import queued

START = datetime(2024, 3, 4, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


async def test_an_untouched_concern_reminds_its_representative_once_per_spell(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    delegation = await add_delegation(session)
    rep = await add_representative(session, telegram_id=610, delegation=delegation, name="周敏")
    other = await add_representative(session, telegram_id=611, delegation=delegation, name="吴刚")
    stalled = await add_concern(session, person=rep, summary="路灯<坏了>", created_at=START)
    done = await add_concern(session, person=other, state="resolved", created_at=START)
    await session.commit()
    maker = create_sessionmaker(engine)

    async def run(at: datetime) -> int:
        counts = await tick(
            sessionmaker=maker, now=at, settings=settings, planners=[concern_followups]
        )
        return counts[concern_followups.__qualname__]

    days = timedelta(days=settings.concern_followup_days)
    assert await run(START + days - timedelta(minutes=1)) == 0
    assert await run(START + days) == 1
    assert await run(START + days + timedelta(hours=1)) == 0
    first_key = f"concern:{stalled.id}:followup:20240304T020000"
    assert await queued(session) == {first_key: (START + days, [rep.id])}
    # The representative moves it; stalled again, it is followed up again a spell later.
    moved = START + days + timedelta(days=2)
    stalled.touched_at, stalled.state = moved, ConcernState.forwarded
    session.add(stalled)
    await session.commit()
    assert await run(moved + days - timedelta(hours=1)) == 0
    assert await run(moved + days) == 1
    assert len(await queued(session)) == 2
    assert done.id is not None
    assert not any(key.startswith(f"concern:{done.id}:") for key in await queued(session))
    # The button opens the concern's card, as the card's own button does.
    delivery = (await session.scalars(select(Delivery).order_by(col(Delivery.id)))).first()
    assert delivery is not None
    i18n = build_i18n(settings)
    with i18n.context(), i18n.use_locale("zh"):
        rendered = render(delivery.template_id or "", delivery.params, Recipient(1, "zh"))
    assert "路灯&lt;坏了&gt;" in rendered.text
    assert "14 天" in rendered.text
    assert rendered.buttons[0][0].callback_data == ConcernOpen(concern=stalled.id or 0).pack()


async def test_a_follow_up_past_its_use_is_recorded_missed_once(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    delegation = await add_delegation(session)
    rep = await add_representative(session, telegram_id=612, delegation=delegation)
    concern = await add_concern(session, person=rep, created_at=START)
    await session.commit()
    maker = create_sessionmaker(engine)
    late = START + timedelta(days=settings.concern_followup_days + 7, minutes=1)
    for _ in range(2):
        await tick(sessionmaker=maker, now=late, settings=settings, planners=[concern_followups])
    assert await queued(session) == {}
    missed = await missed_reminders(session=session, due_since=START)
    assert [(m.dedupe_key, m.kind, m.person_ids) for m in missed] == [
        (f"concern:{concern.id}:followup:20240304T020000", "concern", [rep.id])
    ]
