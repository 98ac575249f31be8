"""Seeding `bench reminders`: representatives spread over liaison stations and over groups of
GROUP_SIZE within their delegation (the first of each its leader), a duty at every station on
each reception Wednesday around the measured one, a meeting held this quarter by every other
group, and a few people's own settings.

Rows go in as multi-row executemany statements a chunk at a time; ids are given, so the
database must be empty.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.meeting_models import Meeting
from storage.models import Delegation, Group, Level, Mandate, Person, Station
from storage.rota_models import DutyAssignment
from storage.scheduling_models import ReminderSettings

CHUNK = 10_000
DELEGATIONS = 10
TELEGRAM_BASE = 30_000_000
# Weeks of duties before and after the measured day, as a roster some months long has.
WEEKS_AROUND = 4
# One person in this many changed their settings: another evening time, or the digest on.
OWN_SETTINGS_EVERY = 100
GROUP_SIZE = 15


def group_of(person: int) -> tuple[int, bool]:
    """Person `person`'s group id, and whether they lead it: groups of GROUP_SIZE people of one
    delegation (person n is in delegation (n - 1) % DELEGATIONS + 1)."""
    delegation, rank = (person - 1) % DELEGATIONS + 1, (person - 1) // DELEGATIONS
    return (rank // GROUP_SIZE) * DELEGATIONS + delegation, rank % GROUP_SIZE == 0


async def seed(
    sessions: async_sessionmaker[AsyncSession],
    *,
    representatives: int,
    stations: int,
    wednesday: date,
    now: datetime,
) -> int:
    """Seeds everything; returns how many duties fall on `wednesday`."""
    async with sessions.begin() as session:
        await session.execute(
            insert(Delegation),
            [
                {"id": n, "name": f"第{n}代表团", "level": Level.province}
                for n in range(1, DELEGATIONS + 1)
            ],
        )
        await session.execute(
            insert(Station),
            [
                {
                    "id": n,
                    "name": f"第{n}代表联络站",
                    "address": f"中山路{n}号",
                    "delegation_id": (n - 1) % DELEGATIONS + 1,
                    "reception_weekday": 2,
                    "reception_start": time(9),
                    "reception_end": time(12),
                    "latitude": 34.6 + n / 100_000,
                    "longitude": 112.4,
                }
                for n in range(1, stations + 1)
            ],
        )
        groups = sorted({group_of(n)[0] for n in range(1, representatives + 1)})
        await session.execute(
            insert(Group),
            [
                {"id": g, "name": f"第{g}小组", "delegation_id": (g - 1) % DELEGATIONS + 1}
                for g in groups
            ],
        )
    for start in range(1, representatives + 1, CHUNK):
        ids = range(start, min(start + CHUNK, representatives + 1))
        async with sessions.begin() as session:
            await _people(session, ids, stations, now)
    async with sessions.begin() as session:
        on_day = await _duties(session, representatives, stations, wednesday)
        await _meetings(session, groups, wednesday, now)
    return on_day


async def _meetings(
    session: AsyncSession, groups: list[int], wednesday: date, now: datetime
) -> None:
    """Every other group met two weeks before the measured day: rows the meeting planners
    read on every tick."""
    day = wednesday - timedelta(weeks=2)
    starts = datetime.combine(day, time(6, 30), tzinfo=UTC)  # 14:30 in Beijing
    rows = [
        {
            "group_id": g,
            "delegation_id": (g - 1) % DELEGATIONS + 1,
            "title": f"第{g}小组第一季度活动",
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=2),
            "place": "联络站会议室",
            "organiser_telegram_id": TELEGRAM_BASE,
            "state": "scheduled",
            "checkin_code": "0000",
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for g in groups[::2]
    ]
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(Meeting), rows[start : start + CHUNK])


async def _people(session: AsyncSession, ids: range, stations: int, now: datetime) -> None:
    await session.execute(
        insert(Person),
        [
            {
                "id": n,
                "name": f"代表{n}",
                "telegram_id": TELEGRAM_BASE + n,
                "language": "zh" if n % 5 else "en",
                "unreachable": False,
                "created_at": now,
                "updated_at": now,
            }
            for n in ids
        ],
    )
    await session.execute(
        insert(Mandate),
        [
            {
                "id": n,
                "person_id": n,
                "level": Level.province,
                "term_number": 14,
                "delegation_id": (n - 1) % DELEGATIONS + 1,
                "station_id": (n - 1) % stations + 1,
                "group_id": group_of(n)[0],
                "is_group_leader": group_of(n)[1],
                "active": True,
            }
            for n in ids
        ],
    )
    own = [n for n in ids if n % OWN_SETTINGS_EVERY == 0]
    if own:
        await session.execute(
            insert(ReminderSettings),
            [
                {
                    "person_id": n,
                    "kinds": {"digest": {"on": True}}
                    if n % 200
                    else {"duty_evening": {"at": "20:00"}},
                    "updated_at": now,
                }
                for n in own
            ],
        )


async def _duties(
    session: AsyncSession, representatives: int, stations: int, wednesday: date
) -> int:
    """A duty at every station each Wednesday around `wednesday`, the turn going round its
    people (station s has people s, s + stations, s + 2·stations, …)."""
    per_station = max(1, representatives // stations)
    rows = []
    for week in range(-WEEKS_AROUND, WEEKS_AROUND + 1):
        day = wednesday + timedelta(weeks=week)
        for station in range(1, min(stations, representatives) + 1):
            turn = (week + WEEKS_AROUND) % per_station
            person = station + turn * stations
            if person > representatives:
                person = station
            rows.append(
                {
                    "station_id": station,
                    "day": day,
                    "person_id": person,
                    "starts_at": time(9),
                    "ends_at": time(12),
                }
            )
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(DutyAssignment), rows[start : start + CHUNK])
    return min(stations, representatives)
