"""Seeding `bench activities`: representatives with years of duty activities, in bulk.

Rows go in as multi-row executemany statements, a chunk at a time, so that half a million
activities take seconds and bounded memory; ids are given, the database being fresh.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import select

from storage.duty_models import Activity, ActivityType
from storage.models import Delegation, Level, Mandate, Person

CHUNK = 20_000
DELEGATIONS = 10
# Activities are spread over the three years up to today, as in the middle of a term.
SPAN_DAYS = 3 * 365
TELEGRAM_BASE = 20_000_000
_PLACES = ("洛阳博物馆", "西工区代表联络站", "洛龙区人民法院", "涧西区社区服务中心", None)
_SUMMARIES = ("文旅文创融合发展专题调研", "接待群众反映小区停车难问题", "参加代表小组季度活动")


@dataclass(frozen=True)
class Representative:
    person_id: int
    mandate_id: int
    delegation_id: int
    telegram_id: int


@dataclass(frozen=True)
class Seeded:
    representatives: list[Representative]
    types: dict[int, int]  # type id → points
    activities: int


async def seed(
    sessions: async_sessionmaker[AsyncSession],
    *,
    representatives: int,
    activities: int,
    today: date,
    now: datetime,
    rng: random.Random,
) -> Seeded:
    people = [
        Representative(n, n, (n - 1) % DELEGATIONS + 1, TELEGRAM_BASE + n)
        for n in range(1, representatives + 1)
    ]
    async with sessions.begin() as session:
        await _roster(session, people, now)
        kinds = (await session.scalars(select(ActivityType))).all()
    types = {kind.id: kind.points for kind in kinds if kind.id is not None}
    type_ids = list(types)
    written = 0
    while written < activities:
        size = min(CHUNK, activities - written)
        rows = []
        for number in range(written, written + size):
            # Round robin over people: everyone ends with the same share, give or take one.
            person = people[number % len(people)]
            type_id = rng.choice(type_ids)
            rows.append(
                {
                    "person_id": person.person_id,
                    "mandate_id": person.mandate_id,
                    "delegation_id": person.delegation_id,
                    "type_id": type_id,
                    "points": types[type_id],
                    "happened_on": today - timedelta(days=rng.randrange(SPAN_DAYS)),
                    "place": rng.choice(_PLACES),
                    "summary": rng.choice(_SUMMARIES),
                    "for_bulletin": False,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        async with sessions.begin() as session:
            await session.execute(insert(Activity), rows)
        written += size
    return Seeded(people, types, written)


async def _roster(session: AsyncSession, people: list[Representative], now: datetime) -> None:
    await session.execute(
        insert(Delegation),
        [
            {"id": n, "name": f"驻洛省十四届人大代表第{n}团", "level": Level.province}
            for n in range(1, DELEGATIONS + 1)
        ],
    )
    for start in range(0, len(people), CHUNK):
        chunk = people[start : start + CHUNK]
        await session.execute(
            insert(Person),
            [
                {
                    "id": p.person_id,
                    "name": f"代表{p.person_id}",
                    "telegram_id": p.telegram_id,
                    "language": "zh",
                    "unreachable": False,
                    "created_at": now,
                    "updated_at": now,
                }
                for p in chunk
            ],
        )
        await session.execute(
            insert(Mandate),
            [
                {
                    "id": p.mandate_id,
                    "person_id": p.person_id,
                    "level": Level.province,
                    "term_number": 14,
                    "delegation_id": p.delegation_id,
                    "is_group_leader": False,
                    "active": True,
                }
                for p in chunk
            ],
        )
