"""Seeding `bench reports`: a roster in delegations, groups and stations, with years of
activities, concerns, duty at the stations and bulletin issues with their reads, in bulk.

Rows go in as multi-row executemany statements, a chunk at a time (bounded memory); ids are
given, so the database must be fresh (migrated, nothing else).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import select

from storage.bulletin_audience import issue_delivery_key
from storage.bulletin_models import BulletinIssue, BulletinRead, IssueState
from storage.delivery_models import ContentKind, Delivery, DeliveryRecipient, RecipientState
from storage.duty_models import Activity, ActivityType, Concern, ConcernState
from storage.models import Delegation, Group, Level, Mandate, Person, Station
from storage.rota_models import DutyAssignment

CHUNK = 20_000
GROUPS_PER_DELEGATION = 10
STATIONS_PER_DELEGATION = 5
SPAN_DAYS = 3 * 365  # activities and concerns over the three years up to today
ISSUES = 24  # bulletin issues, the last two years, monthly
READ_SHARE = 0.6
TELEGRAM_BASE = 30_000_000
_STATES = list(ConcernState)


@dataclass(frozen=True)
class Seeded:
    delegations: int
    representatives: int
    activities: int
    concerns: int
    duties: int
    recipients: int


async def _bulk(
    sessions: async_sessionmaker[AsyncSession], table: Any, rows: Iterator[dict[str, Any]]
) -> int:
    written, chunk = 0, []
    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            written += await _write(sessions, table, chunk)
            chunk = []
    if chunk:
        written += await _write(sessions, table, chunk)
    return written


async def _write(
    sessions: async_sessionmaker[AsyncSession], table: Any, rows: list[dict[str, Any]]
) -> int:
    async with sessions.begin() as session:
        await session.execute(insert(table), rows)
    return len(rows)


async def seed(
    sessions: async_sessionmaker[AsyncSession],
    *,
    delegations: int,
    representatives: int,
    activities: int,
    concerns: int,
    today: date,
    now: datetime,
    rng: random.Random,
) -> Seeded:
    async with sessions.begin() as session:
        types = {k.id: k.points for k in (await session.scalars(select(ActivityType))).all()}
    groups = delegations * GROUPS_PER_DELEGATION
    stations = delegations * STATIONS_PER_DELEGATION
    await _bulk(sessions, Delegation, _delegations(delegations))
    await _bulk(sessions, Group, _groups(groups))
    await _bulk(sessions, Station, _stations(stations))
    await _bulk(sessions, Person, _people(representatives, now))
    await _bulk(sessions, Mandate, _mandates(representatives, delegations))

    def delegation_of(person: int) -> int:
        return (person - 1) % delegations + 1

    def day(span: int) -> date:
        return today - timedelta(days=rng.randrange(span))

    type_ids = sorted(t for t in types if t is not None)

    def activity(n: int) -> dict[str, Any]:
        person = n % representatives + 1
        type_id = rng.choice(type_ids)
        return {
            "person_id": person,
            "mandate_id": person,
            "delegation_id": delegation_of(person),
            "type_id": type_id,
            "points": types[type_id],
            "happened_on": day(SPAN_DAYS),
            "summary": "文旅文创融合发展专题调研",
            "for_bulletin": False,
            "created_at": now,
            "updated_at": now,
        }

    def concern(n: int) -> dict[str, Any]:
        person = n % representatives + 1
        created = datetime.combine(day(SPAN_DAYS), time(2), tzinfo=UTC)
        state = rng.choice(_STATES)
        touched = created + timedelta(days=rng.randrange(60)) if state != "received" else created
        return {
            "person_id": person,
            "mandate_id": person,
            "delegation_id": delegation_of(person),
            "category": "livelihood",
            "summary": "小区门口道路破损",
            "consent": False,
            "state": state,
            "created_at": created,
            "touched_at": min(touched, now),
        }

    written = await _bulk(sessions, Activity, _each(activities, activity))
    received = await _bulk(sessions, Concern, _each(concerns, concern))
    duties = await _bulk(sessions, DutyAssignment, _duties(stations, representatives, today, rng))
    recipients = await _bulletins(sessions, representatives, today, now, rng)
    return Seeded(delegations, representatives, written, received, duties, recipients)


def _each(count: int, make: Callable[[int], dict[str, Any]]) -> Iterator[dict[str, Any]]:
    return (make(n) for n in range(count))


def _delegations(count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        yield {"id": n, "name": f"驻洛省十四届人大代表第{n}团", "level": Level.province}


def _groups(count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        delegation = (n - 1) // GROUPS_PER_DELEGATION + 1
        yield {"id": n, "name": f"第{n}代表小组", "delegation_id": delegation}


def _stations(count: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        delegation = (n - 1) // STATIONS_PER_DELEGATION + 1
        yield {
            "id": n,
            "name": f"第{n}代表联络站",
            "delegation_id": delegation,
            "reception_weekday": 2,
            "reception_start": time(9),
            "reception_end": time(12),
        }


def _people(count: int, now: datetime) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        yield {
            "id": n,
            "name": f"代表{n}",
            "telegram_id": TELEGRAM_BASE + n,
            "language": "zh",
            "unreachable": False,
            "created_at": now,
            "updated_at": now,
        }


def _mandates(count: int, delegations: int) -> Iterator[dict[str, Any]]:
    for n in range(1, count + 1):
        delegation = (n - 1) % delegations + 1
        # Within its delegation, the n-th representative sits in group and station n mod k.
        rank = (n - 1) // delegations
        group = (delegation - 1) * GROUPS_PER_DELEGATION + rank % GROUPS_PER_DELEGATION + 1
        station = (delegation - 1) * STATIONS_PER_DELEGATION + rank % STATIONS_PER_DELEGATION + 1
        yield {
            "id": n,
            "person_id": n,
            "level": Level.province,
            "term_number": 14,
            "delegation_id": delegation,
            "group_id": group,
            "station_id": station,
            "is_group_leader": rank < GROUPS_PER_DELEGATION,
            "active": True,
        }


def _duties(
    stations: int, people: int, today: date, rng: random.Random
) -> Iterator[dict[str, Any]]:
    """Two representatives of the station's delegation at each station every Wednesday."""
    delegations = stations // STATIONS_PER_DELEGATION
    per_delegation = max(1, people // delegations)
    wednesday = today - timedelta(days=(today.weekday() - 2) % 7)
    for week in range(SPAN_DAYS // 7):
        day = wednesday - timedelta(weeks=week)
        for station in range(1, stations + 1):
            delegation = (station - 1) // STATIONS_PER_DELEGATION + 1
            first = rng.randrange(per_delegation)
            for rank in {first, (first + 1) % per_delegation}:
                yield {
                    "station_id": station,
                    "day": day,
                    "person_id": delegation + delegations * rank,
                    "starts_at": time(9),
                    "ends_at": time(12),
                }


async def _bulletins(
    sessions: async_sessionmaker[AsyncSession],
    people: int,
    today: date,
    now: datetime,
    rng: random.Random,
) -> int:
    """Monthly issues delivered to everyone; some of each audience has read it."""
    recipients = 0
    for n in range(ISSUES):
        issued = today - timedelta(days=30 * (ISSUES - n))
        published = datetime.combine(issued, time(2), tzinfo=UTC)
        async with sessions.begin() as session:
            issue = BulletinIssue(
                year=issued.year,
                number=100 + n,
                issued_on=issued,
                title="代表工作",
                state=IssueState.published,
                published_at=published,
            )
            delivery = Delivery(
                dedupe_key=issue_delivery_key(issued.year, 100 + n),
                kind=ContentKind.template,
                not_before=published,
            )
            session.add_all([issue, delivery])
            await session.flush()
            issue_id, delivery_id = issue.id, delivery.id

        assert delivery_id is not None  # noqa: S101 - flushed
        rows = (
            {
                "delivery_id": delivery_id,
                "person_id": person,
                "chat_id": TELEGRAM_BASE + person,
                "dedupe_key": f"{delivery_id}:{person}",
                "state": RecipientState.sent,
                "next_try_at": published,
            }
            for person in range(1, people + 1)
        )
        recipients += await _bulk(sessions, DeliveryRecipient, rows)
        readers = (p for p in range(1, people + 1) if rng.random() < READ_SHARE)
        reads = ({"issue_id": issue_id, "person_id": p, "read_at": now} for p in readers)
        await _bulk(sessions, BulletinRead, reads)
    return recipients
