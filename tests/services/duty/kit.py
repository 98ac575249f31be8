"""Builders for the duty planner's tests: a station, people on its roster, their duties, and
what the planner queued."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Delegation, Person, Station
from storage.rota_models import DutyAssignment
from tests.factories import add_delegation, add_representative


def local(day: date, hour: int, minute: int = 0, tz: str = "Asia/Shanghai") -> datetime:
    """A local time as aware UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(tz)).astimezone(UTC)


async def station(
    session: AsyncSession,
    *,
    name: str = "城关站",
    weekday: int = 2,
    delegation: Delegation | None = None,
) -> Station:
    delegation = delegation or await add_delegation(session, name=f"{name}代表团")
    row = Station(
        name=name,
        address="中山路1号",
        delegation_id=delegation.id,
        reception_weekday=weekday,
        reception_start=time(9),
        reception_end=time(12),
    )
    session.add(row)
    await session.flush()
    return row


async def people(
    session: AsyncSession, at: Station, count: int, first_tg: int = 700
) -> list[Person]:
    delegation = await session.get(Delegation, at.delegation_id)
    assert delegation is not None
    found = []
    for n in range(count):
        person = await add_representative(
            session, telegram_id=first_tg + n, delegation=delegation, name=f"代表{n}"
        )
        found.append(person)
    return found


async def on_duty(session: AsyncSession, at: Station, person: Person, day: date) -> DutyAssignment:
    assert at.id is not None
    assert person.id is not None
    duty = DutyAssignment(
        station_id=at.id,
        day=day,
        person_id=person.id,
        starts_at=at.reception_start,
        ends_at=at.reception_end,
    )
    session.add(duty)
    await session.flush()
    return duty


async def queued(session: AsyncSession) -> dict[str, tuple[datetime, list[int]]]:
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
