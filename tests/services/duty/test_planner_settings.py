"""The duty planner keeps each person's settings: kinds off, muted, unavailable, removed from
the roster, their own times and quiet hours; a restart's grace windows; a swap."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col, select

from services.config import Settings
from services.duty.planner import plan_duty_reminders
from services.duty.roster import swap_duties
from services.scheduling import preferences as prefs
from services.scheduling.preferences import ReminderKind
from services.scheduling.quiet import QuietHours
from services.scheduling.tick import tick
from storage.db import create_engine, create_sessionmaker
from storage.delivery_models import Delivery, DeliveryState
from storage.models import Mandate
from storage.scheduling import missed_reminders
from tests.factories import add_activity, add_activity_types
from tests.services.duty.kit import local, on_duty, people, queued, station

WED = date(2024, 3, 20)
TUE, THU = WED - timedelta(days=1), WED + timedelta(days=1)


async def _week(session: AsyncSession, settings: Settings, first: date = TUE) -> None:
    """The planner every ten minutes from `first` 12:00 for three days."""
    start = local(first, 12)
    for step in range(3 * 24 * 6):
        await plan_duty_reminders(
            session=session, now=start + timedelta(minutes=10 * step), settings=settings
        )


async def test_off_muted_unavailable_and_removed_get_nothing(
    session: AsyncSession, settings: Settings
) -> None:
    here = await station(session)
    keen, off, muted, away, removed = await people(session, here, 5)
    for person in (keen, off, muted, away, removed):
        await on_duty(session, here, person, WED)
    for kind in (ReminderKind.duty_evening, ReminderKind.duty_after):
        await prefs.toggle_kind(
            session=session, person_id=off.id or 0, kind=kind, settings=settings
        )
    await prefs.set_until(
        session=session, person_id=muted.id or 0, field="muted_until", until=WED, settings=settings
    )
    await prefs.set_until(
        session=session, person_id=away.id or 0, field="unavailable_until", until=THU,
        settings=settings,
    )  # fmt: skip
    await session.execute(
        update(Mandate).where(col(Mandate.person_id) == removed.id).values(active=False)
    )
    await _week(session, settings)
    got = await queued(session)
    kinds = {key.split(":")[3] + ":" + key.split(":")[4] for key in got}
    assert kinds == {
        *(f"{k}:person{keen.id}" for k in ("eve", "morning", "after", "noshow")),
        f"morning:person{off.id}",
        f"noshow:person{off.id}",
    }
    assert all(people == [int(key.rsplit("person", 1)[1])] for key, (_, people) in got.items())
    assert await missed_reminders(session=session, due_since=local(TUE, 0)) == []


async def test_each_person_s_own_times(session: AsyncSession, settings: Settings) -> None:
    here = await station(session)
    (person,) = await people(session, here, 1)
    await on_duty(session, here, person, WED)
    pid = person.id or 0
    for kind, at in (
        (ReminderKind.duty_evening, time(20, 30)),
        (ReminderKind.duty_morning, time(7, 45)),
        (ReminderKind.duty_after, time(18, 10)),
        (ReminderKind.duty_no_show, time(10, 0)),
    ):
        await prefs.set_kind_time(
            session=session, person_id=pid, kind=kind, at=at, settings=settings
        )
    # At 20:29 the evening before nothing is due yet; at 20:30 the notice is.
    planned = await plan_duty_reminders(session=session, now=local(TUE, 20, 29), settings=settings)
    assert planned.queued == []
    await _week(session, settings)
    got = {key.split(":")[3]: at for key, (at, _) in (await queued(session)).items()}
    assert got == {
        "eve": local(TUE, 20, 30),
        "morning": local(WED, 7, 45),
        "after": local(WED, 18, 10),
        "noshow": local(THU, 10, 0),
    }


async def test_quiet_hours_hold_what_is_not_urgent(
    session: AsyncSession, settings: Settings
) -> None:
    here = await station(session)
    late, early = await people(session, here, 2)
    for person in (late, early):
        await on_duty(session, here, person, WED)
    # `late` wants the after-hours prompt at 23:00, inside the default quiet hours.
    await prefs.set_kind_time(
        session=session, person_id=late.id or 0, kind=ReminderKind.duty_after, at=time(23, 0),
        settings=settings,
    )  # fmt: skip
    # `early` keeps quiet hours 18:00–10:00: the evening notice waits, but not past the moment
    # the reception (09:00) is three hours away and the notice urgent.
    await prefs.set_quiet_hours(
        session=session, person_id=early.id or 0, quiet=QuietHours(time(18), time(10)),
        settings=settings,
    )  # fmt: skip
    await _week(session, settings)
    got: dict[tuple[str, int | None], datetime] = {
        (key.split(":")[3], int(key.rsplit("person", 1)[1])): at
        for key, (at, _) in (await queued(session)).items()
    }
    assert got[("after", late.id)] == local(THU, 7, 30)
    assert got[("eve", early.id)] == local(WED, 6, 0)
    assert got[("eve", late.id)] == local(TUE, 19, 0)
    # The morning notice, an hour before the reception, is urgent: not held to 10:00.
    assert got[("morning", early.id)] == local(WED, 8, 0)


async def test_a_restart_inside_the_windows_sends_once_and_records_the_rest(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    here = await station(session)
    first, second = await people(session, here, 2)
    await on_duty(session, here, first, WED)
    await on_duty(session, here, second, WED + timedelta(days=7))
    await session.commit()
    maker = create_sessionmaker(engine)
    # Down from Tuesday 18:00 until Wednesday 08:30: the evening notice still goes (the
    # reception starts at 09:00), urgent now, and the morning one; three ticks queue each once.
    for _ in range(3):
        await tick(sessionmaker=maker, now=local(WED, 8, 30), settings=settings)
    got = await queued(session)
    assert {key.split(":")[3]: at for key, (at, _) in got.items()} == {
        "eve": local(TUE, 19),
        "morning": local(WED, 8),
    }
    # Down from the next Tuesday 18:00 until Wednesday 12:30: both are past their use and are
    # recorded missed, once, for staff to see.
    for _ in range(3):
        await tick(
            sessionmaker=maker, now=local(WED + timedelta(days=7), 12, 30), settings=settings
        )
    assert len(await queued(session)) == 2
    missed = await missed_reminders(session=session, due_since=local(TUE, 0))
    assert sorted(row.dedupe_key.split(":")[3] for row in missed) == ["eve", "morning"]
    assert all(row.person_ids == [second.id] for row in missed)


async def test_a_swapped_duty_is_reminded_on_its_new_day(
    session: AsyncSession, settings: Settings
) -> None:
    here = await station(session)
    first, second = await people(session, here, 2)
    next_wed = WED + timedelta(days=7)
    one = await on_duty(session, here, first, WED)
    two = await on_duty(session, here, second, next_wed)
    await plan_duty_reminders(session=session, now=local(TUE, 19), settings=settings)
    assert list(await queued(session)) == [f"duty:station{here.id}:2024-03-20:eve:person{first.id}"]
    await swap_duties(
        session=session, first_id=one.id or 0, second_id=two.id or 0, today=TUE,
        now=local(TUE, 19, 30),
    )  # fmt: skip
    await plan_duty_reminders(session=session, now=local(WED, 8), settings=settings)
    got = set(await queued(session))
    assert f"duty:station{here.id}:2024-03-20:morning:person{second.id}" in got
    assert not any(k.endswith(f"morning:person{first.id}") for k in got)


async def test_two_processes_ticking_at_once_queue_each_reminder_once(
    database_url: str, session: AsyncSession, settings: Settings
) -> None:
    here = await station(session)
    crowd = await people(session, here, 6)
    for person in crowd:
        await on_duty(session, here, person, WED)
    await session.commit()
    # Two engines: two pools of connections, as two bot processes have.
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        for now in (local(TUE, 19), local(WED, 8), local(WED, 8, 1)):
            results = await asyncio.gather(
                *(
                    tick(sessionmaker=create_sessionmaker(e), now=now, settings=settings)
                    for e in engines
                )
            )
            assert all(-1 not in r.values() for r in results), results
    finally:
        for e in engines:
            await e.dispose()
    got = await queued(session)
    assert len(got) == 2 * len(crowd)
    assert all(len(ids) == 1 for _, ids in got.values())


async def test_the_no_show_reminder_once_at_noon_unless_logged_or_turned_off(
    session: AsyncSession, settings: Settings
) -> None:
    await add_activity_types(session)
    here = await station(session)
    idle, busy, off = await people(session, here, 3)
    for person in (idle, busy, off):
        await on_duty(session, here, person, WED)
    await prefs.toggle_kind(
        session=session, person_id=off.id or 0, kind=ReminderKind.duty_no_show, settings=settings
    )
    # `busy` logs the reception on Thursday morning, before the no-show check.
    await plan_duty_reminders(session=session, now=local(THU, 11, 50), settings=settings)
    await add_activity(session, busy, type_code="reception", happened_on=WED)
    before = await plan_duty_reminders(session=session, now=local(THU, 11, 59), settings=settings)
    assert not [k for k in before.queued if ":noshow:" in k]
    for minute in range(0, 60, 10):
        await plan_duty_reminders(session=session, now=local(THU, 12, minute), settings=settings)
    got = await queued(session)
    no_shows = [(key, at) for key, (at, _) in got.items() if ":noshow:" in key]
    assert no_shows == [
        (f"duty:station{here.id}:2024-03-20:noshow:person{idle.id}", local(THU, 12, 0))
    ]


async def test_a_held_reminder_is_cancelled_when_its_person_mutes_or_leaves(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    here = await station(session)
    muting, leaving, staying = await people(session, here, 3)
    for person in (muting, leaving, staying):
        await on_duty(session, here, person, WED)
        # The after-hours prompt at 23:00 is held by quiet hours until 07:30.
        await prefs.set_kind_time(
            session=session, person_id=person.id or 0, kind=ReminderKind.duty_after,
            at=time(23), settings=settings,
        )  # fmt: skip
    await session.commit()
    maker = create_sessionmaker(engine)
    await tick(sessionmaker=maker, now=local(WED, 23), settings=settings)
    assert len([k for k in await queued(session) if ":after:" in k]) == 3
    async with maker.begin() as other:
        await prefs.set_until(
            session=other, person_id=muting.id or 0, field="muted_until", until=THU,
            settings=settings,
        )  # fmt: skip
        await other.execute(
            update(Mandate).where(col(Mandate.person_id) == leaving.id).values(active=False)
        )
    await tick(sessionmaker=maker, now=local(WED, 23, 30), settings=settings)
    states = {
        int(key.rsplit("person", 1)[1]): state
        for key, state in (
            await session.execute(
                select(Delivery.dedupe_key, Delivery.state).execution_options(
                    populate_existing=True
                )
            )
        ).all()
        if ":after:" in key
    }
    assert states == {
        muting.id: DeliveryState.cancelled,
        leaving.id: DeliveryState.cancelled,
        staying.id: DeliveryState.scheduled,
    }
