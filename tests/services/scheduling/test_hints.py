"""Planners rest between due moments, so that an idle tick reads one row each; whatever could
bring a reminder earlier wakes them, and a look begun before such a change does not put them
back to sleep."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.config import Settings
from services.duty.planner import HINT, duty_reminders
from services.scheduling import preferences as prefs
from services.scheduling.preferences import ReminderKind
from services.scheduling.tick import tick
from storage.db import create_sessionmaker
from storage.rota import add_duties, set_override
from storage.rota_models import DayKind, DutyAssignment
from storage.scheduling import planner_hint, set_planner_hint, wake_planners
from tests.services.duty.kit import local, on_duty, people, queued, station

WED = date(2024, 3, 20)
TUE = WED - timedelta(days=1)


async def test_rest_until_the_next_due_moment_and_wake_on_changes(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    here = await station(session)
    first, second = await people(session, here, 2)
    await on_duty(session, here, first, WED)
    await session.commit()
    maker = create_sessionmaker(engine)

    async def run(hour: int, minute: int = 0) -> int:
        counts = await tick(
            sessionmaker=maker, now=local(TUE, hour, minute), settings=settings,
            planners=[duty_reminders],
        )  # fmt: skip
        return counts[duty_reminders.__qualname__]

    assert await run(19) == 1
    # Nothing falls due before the morning notice at 08:00: it rests, until midnight first
    # (when the days it looks at move on).
    assert (await planner_hint(session=session, planner=HINT))[0] == local(WED, 0)
    assert await run(19, 15) == 0
    # A process's first tick wakes every planner (its settings or clock may have changed).
    _until, version = await planner_hint(session=session, planner=HINT)
    await tick(
        sessionmaker=maker, now=local(TUE, 19, 16), settings=settings,
        planners=[duty_reminders], wake=True,
    )  # fmt: skip
    assert await planner_hint(session=session, planner=HINT) == (local(WED, 0), version + 1)
    # A duty added for the same day (another process, a roster import) wakes it.
    async with maker.begin() as other:
        await add_duties(
            session=other,
            duties=[
                DutyAssignment(
                    station_id=here.id or 0,
                    day=WED,
                    person_id=second.id or 0,
                    starts_at=time(9),
                    ends_at=time(12),
                )
            ],
        )
    assert await run(19, 30) == 1
    assert len(await queued(session)) == 2
    # A settings change wakes it too: the morning notice moved earlier, to 06:00.
    async with maker.begin() as other:
        await prefs.set_kind_time(
            session=other, person_id=first.id or 0, kind=ReminderKind.duty_morning,
            at=time(6), settings=settings,
        )  # fmt: skip
    assert (await planner_hint(session=session, planner=HINT))[0] is None
    assert await run(20) == 0
    assert (await planner_hint(session=session, planner=HINT))[0] == local(WED, 0)
    # After midnight it looks again and rests until the morning notice, now at 06:00.
    await tick(sessionmaker=maker, now=local(WED, 0), settings=settings, planners=[duty_reminders])
    assert (await planner_hint(session=session, planner=HINT))[0] == local(WED, 6)
    async with maker.begin() as other:
        await set_override(session=other, day=date(2024, 3, 23), kind=DayKind.workday)
    assert (await planner_hint(session=session, planner=HINT))[0] is None


async def test_a_look_begun_before_a_change_does_not_rest(session: AsyncSession) -> None:
    at = local(WED, 8)
    assert await set_planner_hint(session=session, planner="p", quiet_until=at, version=0)
    _until, version = await planner_hint(session=session, planner="p")
    await wake_planners(session=session)
    assert not await set_planner_hint(session=session, planner="p", quiet_until=at, version=version)
    until, newer = await planner_hint(session=session, planner="p")
    assert (until, newer) == (None, version + 1)
    assert await set_planner_hint(session=session, planner="p", quiet_until=at, version=newer)
