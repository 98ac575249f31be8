"""Seeding `bench reminders`: representatives spread over liaison stations, a duty at every
station on each reception Wednesday around the measured one, and a few people's own settings.

Rows go in as multi-row executemany statements a chunk at a time; ids are given, so the
database must be empty.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import Delegation, Level, Mandate, Person, Station
from storage.rota_models import DutyAssignment
from storage.scheduling_models import ReminderSettings

CHUNK = 10_000
DELEGATIONS = 10
TELEGRAM_BASE = 30_000_000
# Weeks of duties before and after the measured day, as a roster some months long has.
WEEKS_AROUND = 4
# One person in this many changed their settings: another evening time, or the digest on.
OWN_SETTINGS_EVERY = 100


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
    for start in range(1, representatives + 1, CHUNK):
        ids = range(start, min(start + CHUNK, representatives + 1))
        async with sessions.begin() as session:
            await _people(session, ids, stations, now)
    async with sessions.begin() as session:
        on_day = await _duties(session, representatives, stations, wednesday)
    return on_day


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
                "is_group_leader": False,
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
