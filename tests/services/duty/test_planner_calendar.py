"""Duty reminders hour by hour across a DST change (TIMEZONE=Europe/Berlin) and across quarter
boundaries: each once, at the local time it is set for, whatever the UTC offset did."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.config import Settings
from services.duty.planner import duty_reminders
from services.scheduling import preferences as prefs
from services.scheduling.preferences import ReminderKind
from services.scheduling.tick import tick
from storage.db import create_sessionmaker
from storage.rota import set_override
from storage.rota_models import DayKind
from tests.services.duty.kit import on_duty, people, queued, station


def _utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


async def _hour_by_hour(
    engine: AsyncEngine, settings: Settings, start: datetime, days: int
) -> None:
    maker = create_sessionmaker(engine)
    for hour in range(days * 24):
        for minute in (0, 30):
            now = start + timedelta(hours=hour, minutes=minute)
            await tick(sessionmaker=maker, now=now, settings=settings, planners=[duty_reminders])


async def test_berlin_across_the_spring_dst_change_and_the_quarter_boundary(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    berlin = settings.model_copy(update={"timezone": "Europe/Berlin"})
    assert berlin.tz == ZoneInfo("Europe/Berlin")
    monday = await station(session, name="周一站", weekday=0)
    saturday = await station(session, name="周六站", weekday=5)
    a, b = await people(session, monday, 2)
    (c,) = await people(session, saturday, 1, first_tg=760)
    # Monday 25 March (CET, UTC+1) and Monday 1 April (CEST, UTC+2, and the second quarter).
    await on_duty(session, monday, a, date(2024, 3, 25))
    await on_duty(session, monday, b, date(2024, 4, 1))
    # Saturday 30 March made a working day; the clocks go forward in the night after it.
    await set_override(session=session, day=date(2024, 3, 30), kind=DayKind.workday)
    await on_duty(session, saturday, c, date(2024, 3, 30))
    await prefs.set_kind_time(
        session=session, person_id=c.id or 0, kind=ReminderKind.duty_after, at=time(23, 0),
        settings=berlin,
    )  # fmt: skip
    await session.commit()
    await _hour_by_hour(engine, berlin, _utc(date(2024, 3, 23), 0), 11)
    got = {
        (key.split(":")[2], key.split(":")[3]): (at, ids)
        for key, (at, ids) in (await queued(session)).items()
    }
    assert got == {
        ("2024-03-25", "eve"): (_utc(date(2024, 3, 24), 18), [a.id]),  # 19:00 CET
        ("2024-03-25", "morning"): (_utc(date(2024, 3, 25), 7), [a.id]),  # 08:00 CET
        ("2024-03-25", "after"): (_utc(date(2024, 3, 25), 16), [a.id]),
        ("2024-03-25", "noshow"): (_utc(date(2024, 3, 26), 11), [a.id]),
        ("2024-03-30", "eve"): (_utc(date(2024, 3, 29), 18), [c.id]),
        ("2024-03-30", "morning"): (_utc(date(2024, 3, 30), 7), [c.id]),
        # 23:00 CET is in quiet hours: held until 07:30 — CEST by then, so 05:30 UTC.
        ("2024-03-30", "after"): (_utc(date(2024, 3, 31), 5, 30), [c.id]),
        ("2024-03-30", "noshow"): (_utc(date(2024, 3, 31), 10), [c.id]),  # 12:00 CEST
        ("2024-04-01", "eve"): (_utc(date(2024, 3, 31), 17), [b.id]),  # 19:00 CEST, in Q1
        ("2024-04-01", "morning"): (_utc(date(2024, 4, 1), 6), [b.id]),  # Q2
        ("2024-04-01", "after"): (_utc(date(2024, 4, 1), 15), [b.id]),
        ("2024-04-01", "noshow"): (_utc(date(2024, 4, 2), 10), [b.id]),
    }


@pytest.mark.parametrize(
    ("day", "weekday"),
    [(date(2024, 7, 1), 0), (date(2025, 1, 1), 2)],
    ids=["monday-1-july", "new-year-wednesday"],
)
async def test_the_quarter_boundary_in_beijing(
    engine: AsyncEngine, session: AsyncSession, settings: Settings, day: date, weekday: int
) -> None:
    here = await station(session, weekday=weekday)
    (person,) = await people(session, here, 1)
    await on_duty(session, here, person, day)
    await session.commit()
    await _hour_by_hour(engine, settings, _utc(day - timedelta(days=2), 0), 4)
    got = {key.split(":")[3]: at for key, (at, _ids) in (await queued(session)).items()}
    if day == date(2025, 1, 1):  # New Year's Day: a holiday, no reception, no reminder
        assert got == {}
        return
    eve = day - timedelta(days=1)
    assert got == {
        "eve": _utc(eve, 11),  # 19:00 on 30 June, second quarter
        "morning": _utc(day, 0),  # 08:00 on 1 July, third quarter
        "after": _utc(day, 9),
        "noshow": _utc(day + timedelta(days=1), 4),
    }
