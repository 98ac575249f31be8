"""Duty roster services: an XLSX file read safely, the rotation's turns and unavailability, a
swap that cancels the reminders queued for the days each leaves."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from services.config import Settings
from services.duty.importing import import_duty, parse_duty_file
from services.duty.planner import plan_duty_reminders
from services.duty.roster import swap_duties
from services.duty.rotation import rotate
from storage.delivery_models import Delivery, DeliveryRecipient, DeliveryState, RecipientState
from storage.models import Mandate, Person, Station
from storage.rota_models import DutyAssignment
from tests.factories import add_delegation, add_representative
from tests.services.roster.builders import xlsx_bytes


async def _station(session: AsyncSession, names: list[str]) -> tuple[Station, list[Person]]:
    delegation = await add_delegation(session)
    station = Station(name="城关站", delegation_id=delegation.id)
    session.add(station)
    await session.flush()
    people = []
    for number, name in enumerate(names):
        person = await add_representative(
            session, telegram_id=800 + number, delegation=delegation, name=name
        )
        mandate = (
            await session.scalars(select(Mandate).where(Mandate.person_id == person.id))
        ).one()
        mandate.station_id = station.id
        session.add(mandate)
        people.append(person)
    await session.flush()
    return station, people


async def test_an_xlsx_file_with_excel_dates_is_stored(session: AsyncSession) -> None:
    _home, people = await _station(session, ["张三", "李四"])
    data = xlsx_bytes(
        [
            ["联络站", "日期", "代表", "时间"],
            ["城关站", datetime(2024, 3, 20), "张三", "14:00～17:00"],
            ["城关站", date(2024, 3, 27), "李四", None],
        ]
    )
    rows, errors = parse_duty_file(data, "值班表.xlsx")
    assert errors == []
    result = await import_duty(session=session, rows=rows, errors=errors, dry_run=False)
    assert result.stored
    stored = (await session.scalars(select(DutyAssignment).order_by(col(DutyAssignment.day)))).all()
    assert [(d.day, d.person_id, d.starts_at, d.ends_at) for d in stored] == [
        (date(2024, 3, 20), people[0].id, time(14), time(17)),
        (date(2024, 3, 27), people[1].id, time(9), time(12)),
    ]


async def test_a_renamed_file_is_refused_whole(session: AsyncSession) -> None:
    rows, errors = parse_duty_file(b"\x00\x01binary", "duty.xlsx")
    assert rows == []
    assert [error.row for error in errors] == [0]


async def test_rotation_skips_the_unavailable_and_keeps_the_turn(session: AsyncSession) -> None:
    station, people = await _station(session, ["甲", "乙", "丙"])
    a, b, c = (p.id or 0 for p in people)
    away_on = {date(2024, 3, 13)}
    planned = await rotate(
        session=session,
        station=station,
        start=date(2024, 3, 11),
        weeks=4,
        unavailable=lambda person_id, day: person_id == b and day in away_on,
    )
    assert [(d.day, d.person_id) for d in planned] == [
        (date(2024, 3, 13), a),
        (date(2024, 3, 20), b),
        (date(2024, 3, 27), c),
        (date(2024, 4, 3), a),
    ]
    # A set of ids is out for the whole run.
    more = await rotate(
        session=session, station=station, start=date(2024, 4, 8), weeks=2, unavailable={b}
    )
    assert [d.person_id for d in more] == [c, a]


async def test_a_swap_cancels_what_was_queued_for_the_old_days(
    session: AsyncSession, settings: Settings
) -> None:
    station, people = await _station(session, ["甲", "乙"])
    assert station.id is not None
    first = DutyAssignment(
        station_id=station.id,
        day=date(2024, 3, 13),
        person_id=people[0].id or 0,
        starts_at=time(9),
        ends_at=time(12),
    )
    second = DutyAssignment(
        station_id=station.id,
        day=date(2024, 3, 20),
        person_id=people[1].id or 0,
        starts_at=time(9),
        ends_at=time(12),
    )
    session.add_all([first, second])
    await session.flush()
    now = datetime(2024, 3, 12, 11, 0, tzinfo=UTC)  # 19:00 in Beijing, the evening before
    planned = await plan_duty_reminders(session=session, now=now, settings=settings)
    assert len(planned.queued) == 1
    await swap_duties(
        session=session,
        first_id=first.id or 0,
        second_id=second.id or 0,
        today=date(2024, 3, 12),
        now=now,
    )
    old = (
        await session.scalars(select(Delivery).where(Delivery.dedupe_key == planned.queued[0]))
    ).one()
    assert old.state == DeliveryState.cancelled
    rows = (
        await session.scalars(
            select(DeliveryRecipient).where(DeliveryRecipient.delivery_id == old.id)
        )
    ).all()
    assert [r.state for r in rows] == [RecipientState.cancelled]
    # The one now on duty on the 13th gets the evening notice when the planner runs again.
    again = await plan_duty_reminders(session=session, now=now, settings=settings)
    assert again.queued == [f"duty:station{station.id}:2024-03-13:eve:person{people[1].id}"]
