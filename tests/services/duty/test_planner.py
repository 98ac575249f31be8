"""Duty reminders planned at chosen times: once each, inside their windows, on working days only."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlmodel import col, select

from bot.i18n import build_i18n
from services.config import Settings
from services.deliveries.templates import Recipient, render
from services.duty.planner import duty_reminders, plan_duty_reminders
from services.scheduling.tick import tick
from services.workdays import is_reception_day, is_working_day
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Person, Station
from storage.rota import set_override
from storage.rota_models import DayKind, DutyAssignment
from storage.scheduling import missed_reminders
from tests.factories import add_activity, add_activity_types, add_delegation, add_representative

WEDNESDAY = date(2024, 3, 20)
BEIJING = ZoneInfo("Asia/Shanghai")


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    """A Beijing local time (the default TIMEZONE) as aware UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=BEIJING).astimezone(UTC)


async def _duty(
    session: AsyncSession, day: date, *, weekday: int = 2, telegram_id: int = 501
) -> tuple[Person, Station]:
    delegation = await add_delegation(session, name=f"代表团{day.isoformat()}")
    person = await add_representative(
        session, telegram_id=telegram_id, delegation=delegation, name="李<芳>"
    )
    station = Station(
        name="城关<站>",
        address="中山路1号",
        delegation_id=delegation.id,
        reception_weekday=weekday,
        reception_start=time(9),
        reception_end=time(12),
        latitude=34.62,
        longitude=112.45,
    )
    session.add(station)
    await session.flush()
    assert station.id is not None
    assert person.id is not None
    session.add(
        DutyAssignment(
            station_id=station.id,
            day=day,
            person_id=person.id,
            starts_at=station.reception_start,
            ends_at=station.reception_end,
        )
    )
    await session.flush()
    return person, station


async def _keys(session: AsyncSession) -> list[str]:
    rows = await session.scalars(select(Delivery.dedupe_key).order_by(col(Delivery.id)))
    return list(rows)


async def test_each_reminder_at_its_time_once(session: AsyncSession, settings: Settings) -> None:
    person, station = await _duty(session, WEDNESDAY)
    key = f"duty:station{station.id}:2024-03-20:{{}}:person{person.id}"
    before = await plan_duty_reminders(
        session=session, now=_at(date(2024, 3, 19), 18, 59), settings=settings
    )
    assert before.queued == []
    assert await _keys(session) == []

    evening = _at(date(2024, 3, 19), 19)
    assert (await plan_duty_reminders(session=session, now=evening, settings=settings)).queued == [
        key.format("eve")
    ]
    again = await plan_duty_reminders(session=session, now=evening, settings=settings)
    assert again.queued == []
    assert again.missed == []

    morning = await plan_duty_reminders(session=session, now=_at(WEDNESDAY, 8), settings=settings)
    assert morning.queued == [key.format("morning")]
    after = await plan_duty_reminders(session=session, now=_at(WEDNESDAY, 17), settings=settings)
    assert after.queued == [key.format("after")]
    no_show = await plan_duty_reminders(
        session=session, now=_at(date(2024, 3, 21), 12), settings=settings
    )
    assert no_show.queued == [key.format("noshow")]
    assert await _keys(session) == [key.format(k) for k in ("eve", "morning", "after", "noshow")]
    recipients = await session.scalars(select(DeliveryRecipient.person_id))
    assert set(recipients) == {person.id}


async def test_a_closed_window_is_skipped_not_sent(
    session: AsyncSession, settings: Settings
) -> None:
    person, station = await _duty(session, WEDNESDAY)
    key = f"duty:station{station.id}:2024-03-20:{{}}:person{person.id}"
    # Down from the evening before until 13:00: the evening and morning notices are no use now.
    planned = await plan_duty_reminders(session=session, now=_at(WEDNESDAY, 13), settings=settings)
    assert planned.queued == []
    assert planned.missed == [key.format("eve"), key.format("morning")]
    assert await _keys(session) == []
    # Recorded once, however often the planner runs again.
    again = await plan_duty_reminders(session=session, now=_at(WEDNESDAY, 14), settings=settings)
    assert again.missed == again.queued == []
    rows = await missed_reminders(session=session, due_since=_at(date(2024, 3, 18), 0))
    assert sorted(row.dedupe_key for row in rows) == [key.format("eve"), key.format("morning")]
    assert {(row.kind, tuple(row.person_ids)) for row in rows} == {("duty", (person.id,))}


async def test_a_logged_reception_silences_the_prompt_and_the_no_show(
    session: AsyncSession, settings: Settings
) -> None:
    person, _station = await _duty(session, WEDNESDAY)
    await add_activity_types(session)
    await add_activity(session, person, type_code="reception", happened_on=WEDNESDAY)
    planned = await plan_duty_reminders(
        session=session, now=_at(date(2024, 3, 21), 12), settings=settings
    )
    assert planned.queued == []
    assert await _keys(session) == []


async def test_a_tiaoxiu_saturday_is_a_reception_day(
    session: AsyncSession, settings: Settings
) -> None:
    saturday = date(2024, 5, 11)  # worked in exchange for the May Day holiday
    person, station = await _duty(session, saturday, weekday=5)
    assert await is_working_day(session, saturday)
    assert await is_reception_day(session, station, saturday)
    assert not await is_reception_day(session, station, date(2024, 5, 18))
    planned = await plan_duty_reminders(
        session=session, now=_at(date(2024, 5, 10), 19), settings=settings
    )
    assert planned.queued == [f"duty:station{station.id}:2024-05-11:eve:person{person.id}"]


async def test_a_holiday_wednesday_has_no_reception_and_no_reminder(
    session: AsyncSession, settings: Settings
) -> None:
    holiday = date(2024, 10, 2)  # National Day week
    _person, station = await _duty(session, holiday)
    assert not await is_reception_day(session, station, holiday)
    for now in (_at(date(2024, 10, 1), 19), _at(holiday, 8), _at(holiday, 17)):
        planned = await plan_duty_reminders(session=session, now=now, settings=settings)
        assert planned.queued == []
        assert planned.missed == []
    assert await _keys(session) == []


async def test_overrides_decide_a_year_the_package_does_not_know(session: AsyncSession) -> None:
    assert await is_working_day(session, date(2027, 2, 15))  # a Monday: Mon–Fri fallback
    assert not await is_working_day(session, date(2027, 2, 14))  # a Sunday
    await set_override(session=session, day=date(2027, 2, 14), kind=DayKind.workday)
    await set_override(session=session, day=date(2027, 2, 15), kind=DayKind.holiday)
    assert await is_working_day(session, date(2027, 2, 14))
    assert not await is_working_day(session, date(2027, 2, 15))


async def test_the_evening_notice_in_each_language_escapes_the_station(
    session: AsyncSession, settings: Settings
) -> None:
    await _duty(session, WEDNESDAY)
    await plan_duty_reminders(session=session, now=_at(date(2024, 3, 19), 19), settings=settings)
    delivery = (await session.scalars(select(Delivery))).one()
    i18n = build_i18n(settings)
    texts = {}
    for locale in ("zh", "en"):
        with i18n.context(), i18n.use_locale(locale):
            rendered = render(delivery.template_id or "", delivery.params, Recipient(1, locale))
        texts[locale] = rendered.text
        assert "城关&lt;站&gt;" in rendered.text
        assert "09:00–12:00" in rendered.text
        assert rendered.buttons[0][0].url is not None
        assert "34.62" in rendered.buttons[0][0].url
    assert "明天" in texts["zh"]
    assert "tomorrow" in texts["en"]


async def test_tick_runs_the_duty_planner(session: AsyncSession, settings: Settings) -> None:
    person, station = await _duty(session, WEDNESDAY)
    await session.commit()
    sessionmaker = async_sessionmaker(session.bind, expire_on_commit=False)
    ran = await tick(sessionmaker=sessionmaker, now=_at(date(2024, 3, 19), 19), settings=settings)
    assert ran[duty_reminders.__name__] == 1
    assert await _keys(session) == [f"duty:station{station.id}:2024-03-20:eve:person{person.id}"]
