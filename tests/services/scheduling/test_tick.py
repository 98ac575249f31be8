"""`tick(now)`: planners turn what is due into deliveries once, hold them through quiet hours,
record what came too late, and survive each other's failures and a second process."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col, select

from services.config import Settings
from services.deliveries.model import People, TextContent
from services.scheduling.preferences import set_quiet_hours
from services.scheduling.quiet import QuietHours
from services.scheduling.schedule import schedule
from services.scheduling.tick import PLANNERS, Planner, register_planner, tick
from storage.db import create_engine, create_sessionmaker
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Person
from storage.scheduling import missed_reminders
from storage.scheduling_models import MissedReminder
from tests.factories import add_delegation, add_representative

TZ_NAME = "Asia/Shanghai"


def _at(day: date, hour: int, minute: int, settings: Settings) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=settings.tz).astimezone(UTC)


class EveningPlanner:
    """A planner of the kind duty reminders are: for each (person, day) the evening before at
    19:00 local, useful until 09:00 on the day."""

    def __init__(self, duties: Sequence[tuple[int, date]]) -> None:
        self.duties = duties
        self.__qualname__ = "EveningPlanner"

    async def __call__(self, *, session: AsyncSession, now: datetime, settings: Settings) -> int:
        count = 0
        for person_id, day in self.duties:
            due = _at(day - timedelta(days=1), 19, 0, settings)
            if due > now:
                continue
            count += len(
                await schedule(
                    session=session,
                    settings=settings,
                    dedupe_key=f"duty:test:{day.isoformat()}:eve:{person_id}",
                    audience=People([person_id]),
                    content=TextContent(text="明天值班"),
                    due_at=due,
                    useful_until=_at(day, 9, 0, settings),
                    now=now,
                )
            )
        return count


async def _people(session: AsyncSession, count: int) -> list[int]:
    delegation = await add_delegation(session)
    ids = []
    for n in range(count):
        person = await add_representative(
            session, telegram_id=500 + n, delegation=delegation, name=f"代表{n}"
        )
        assert person.id is not None
        ids.append(person.id)
    await session.commit()
    return ids


async def _deliveries(session: AsyncSession) -> dict[str, tuple[datetime, list[int]]]:
    """Dedupe key → (not before, person ids of its recipient rows)."""
    rows = (
        await session.execute(
            select(Delivery, DeliveryRecipient.person_id)
            .join(DeliveryRecipient, col(DeliveryRecipient.delivery_id) == col(Delivery.id))
            .execution_options(populate_existing=True)
        )
    ).all()
    found: dict[str, tuple[datetime, list[int]]] = {}
    for delivery, person_id in rows:
        found.setdefault(delivery.dedupe_key, (delivery.not_before, []))[1].append(person_id)
    return found


async def _missed(session: AsyncSession) -> list[str]:
    rows = await missed_reminders(session=session, due_since=datetime(2000, 1, 1, tzinfo=UTC))
    return sorted(row.dedupe_key for row in rows)


async def test_a_week_hour_by_hour_each_reminder_once_at_its_time(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    a, b, c = await _people(session, 3)
    wed, thu = date(2024, 3, 20), date(2024, 3, 21)
    planner = EveningPlanner([(a, wed), (b, wed), (c, thu)])
    maker = create_sessionmaker(engine)
    start = _at(date(2024, 3, 17), 12, 0, settings)
    seen: dict[datetime, set[str]] = {}
    for hour in range(7 * 24):
        now = start + timedelta(hours=hour)
        await tick(sessionmaker=maker, now=now, settings=settings, planners=[planner])
        seen[now] = set(await _deliveries(session))
    got = await _deliveries(session)
    assert got == {
        f"duty:test:2024-03-20:eve:{a}": (_at(date(2024, 3, 19), 19, 0, settings), [a]),
        f"duty:test:2024-03-20:eve:{b}": (_at(date(2024, 3, 19), 19, 0, settings), [b]),
        f"duty:test:2024-03-21:eve:{c}": (_at(date(2024, 3, 20), 19, 0, settings), [c]),
    }
    # Nothing before its time: at 18:00 the evening before, Wednesday's are not planned yet.
    assert seen[_at(date(2024, 3, 19), 18, 0, settings)] == set()
    assert len(seen[_at(date(2024, 3, 19), 19, 0, settings)]) == 2
    assert await _missed(session) == []


async def test_quiet_hours_hold_a_late_reminder_until_the_person_s_morning(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    a, b = await _people(session, 2)
    await set_quiet_hours(
        session=session, person_id=b, quiet=QuietHours(time(18, 0), time(6, 0)), settings=settings
    )
    await session.commit()
    wed = date(2024, 3, 20)
    now = _at(date(2024, 3, 19), 22, 30, settings)  # the bot was down until 22:30
    maker = create_sessionmaker(engine)
    await tick(
        sessionmaker=maker,
        now=now,
        settings=settings,
        planners=[EveningPlanner([(a, wed), (b, wed)])],
    )
    got = await _deliveries(session)
    assert got[f"duty:test:2024-03-20:eve:{a}"][0] == _at(wed, 7, 30, settings)
    # b's own quiet hours, 18:00 to 06:00.
    assert got[f"duty:test:2024-03-20:eve:{b}"][0] == _at(wed, 6, 0, settings)
    # In time, outside quiet hours: at its time.
    await tick(
        sessionmaker=maker,
        now=_at(wed, 19, 0, settings),
        settings=settings,
        planners=[EveningPlanner([(a, date(2024, 3, 21))])],
    )
    got = await _deliveries(session)
    assert got[f"duty:test:2024-03-21:eve:{a}"][0] == _at(wed, 19, 0, settings)


async def test_restart_inside_the_window_sends_after_it_records_missed_once(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    a, b = await _people(session, 2)
    maker = create_sessionmaker(engine)
    wed, thu = date(2024, 3, 20), date(2024, 3, 21)
    planner = EveningPlanner([(a, wed), (b, thu)])
    # Down from Tuesday 18:00 to Wednesday 08:00: a's reminder is still useful until 09:00.
    back = _at(wed, 8, 0, settings)
    await tick(sessionmaker=maker, now=back, settings=settings, planners=[planner])
    assert set(await _deliveries(session)) == {f"duty:test:2024-03-20:eve:{a}"}
    # Down again from Wednesday 18:00 to Thursday 10:00: b's reminder is past its use.
    later = _at(thu, 10, 0, settings)
    for _ in range(3):
        await tick(sessionmaker=maker, now=later, settings=settings, planners=[planner])
    assert set(await _deliveries(session)) == {f"duty:test:2024-03-20:eve:{a}"}
    assert await _missed(session) == [f"duty:test:2024-03-21:eve:{b}"]
    row = (await session.scalars(select(MissedReminder))).one()
    assert (row.kind, row.person_ids) == ("duty", [b])
    # a's reminder, sent in its window, is not recorded missed when later ticks pass it by.
    assert f"duty:test:2024-03-20:eve:{a}" not in await _missed(session)


async def test_several_people_one_delivery_each_under_its_own_key(
    session: AsyncSession, settings: Settings
) -> None:
    ids = await _people(session, 3)
    now = _at(date(2024, 3, 20), 10, 0, settings)
    kw: dict[str, Any] = {
        "session": session,
        "settings": settings,
        "dedupe_key": "meeting:42:T-1d",
        "audience": People(ids),
        "content": TextContent(text="明天开会"),
        "due_at": now,
        "useful_until": now + timedelta(days=1),
        "now": now,
    }
    first = await schedule(**kw)
    again = await schedule(**kw)
    await session.commit()
    assert [d.id for d in first] == [d.id for d in again]
    assert set(await _deliveries(session)) == {f"meeting:42:T-1d:p{p}" for p in ids}


async def test_a_failing_planner_is_logged_rolled_back_and_the_others_run(
    engine: AsyncEngine, session: AsyncSession, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    (a,) = await _people(session, 1)

    async def broken(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
        session.add(Person(name="半途"))
        await session.flush()
        raise RuntimeError("boom")

    wed = date(2024, 3, 20)
    with caplog.at_level(logging.ERROR):
        counts = await tick(
            sessionmaker=create_sessionmaker(engine),
            now=_at(wed, 8, 0, settings),
            settings=settings,
            planners=[broken, EveningPlanner([(a, wed)])],
        )
    assert counts == {
        "test_a_failing_planner_is_logged_rolled_back_and_the_others_run.<locals>.broken": -1,
        "EveningPlanner": 1,
    }
    assert "boom" in caplog.text
    assert (await session.scalars(select(Person).where(Person.name == "半途"))).first() is None
    assert len(await _deliveries(session)) == 1


def test_registered_planners_are_kept_once() -> None:
    async def planner(**_: Any) -> int:
        return 0

    try:
        register_planner(planner)
        register_planner(planner)
        assert PLANNERS.count(planner) == 1
    finally:
        PLANNERS.remove(planner)


async def test_two_processes_ticking_at_once_make_each_delivery_once(
    database_url: str, engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    ids = await _people(session, 4)
    wed, thu = date(2024, 3, 20), date(2024, 3, 21)
    duties = [(p, wed) for p in ids] + [(ids[0], thu)]

    async def group(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
        planned = await schedule(
            session=session,
            settings=settings,
            dedupe_key="meeting:7:T-2h",
            audience=People(ids),
            content=TextContent(text="两小时后开会"),
            due_at=now - timedelta(minutes=5),
            useful_until=now + timedelta(hours=2),
            now=now,
            urgent=True,
        )
        await schedule(
            session=session,
            settings=settings,
            dedupe_key="meeting:6:T-1d",
            audience=People(ids),
            content=TextContent(text="错过了"),
            due_at=now - timedelta(days=2),
            useful_until=now - timedelta(days=1),
            now=now,
        )
        return len(planned)

    planners: list[Planner] = [EveningPlanner(duties), group]
    now = _at(wed, 8, 0, settings)
    # Two engines: two pools of connections, as two bot processes have.
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        for _ in range(3):
            results = await asyncio.gather(
                *(
                    tick(
                        sessionmaker=create_sessionmaker(e),
                        now=now,
                        settings=settings,
                        planners=planners,
                    )
                    for e in engines
                )
            )
            assert all(-1 not in r.values() for r in results), results
    finally:
        for e in engines:
            await e.dispose()
    got = await _deliveries(session)
    assert set(got) == {f"duty:test:2024-03-20:eve:{p}" for p in ids} | {
        f"meeting:7:T-2h:p{p}" for p in ids
    }
    assert all(len(people) == 1 for _, people in got.values())
    assert got[f"meeting:7:T-2h:p{ids[0]}"][0] == now - timedelta(minutes=5)  # urgent: not held
    assert await _missed(session) == ["meeting:6:T-1d"]
    recipients = (await session.scalars(select(DeliveryRecipient))).all()
    assert len(recipients) == 2 * len(ids)
