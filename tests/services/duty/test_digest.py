"""The weekly digest: only to those who turn it on, once, on Monday at their time; the week's
reception days at their stations, who is on duty, their own duties; in their language."""

from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.i18n import build_i18n
from services.config import Settings
from services.deliveries.templates import Recipient, render
from services.duty.digest import plan_digests
from services.scheduling import preferences as prefs
from services.scheduling.preferences import ReminderKind
from storage.delivery_models import Delivery
from storage.models import Mandate
from storage.scheduling import missed_reminders
from tests.services.duty.kit import local, on_duty, people, queued, station

MONDAY = date(2024, 3, 18)


async def _texts(session: AsyncSession, settings: Settings) -> dict[str, str]:
    delivery = (await session.scalars(select(Delivery).order_by(col(Delivery.id)))).all()[-1]
    i18n = build_i18n(settings)
    found = {}
    for locale in ("zh", "en"):
        with i18n.context(), i18n.use_locale(locale):
            found[locale] = render(
                delivery.template_id or "", delivery.params, Recipient(1, locale)
            ).text
    return found


async def test_only_those_who_turn_it_on_once_at_their_time(
    session: AsyncSession, settings: Settings
) -> None:
    here = await station(session, name="城关<站>")
    reader, on_duty_person, quiet_one = await people(session, here, 3)
    for person in (reader, on_duty_person, quiet_one):
        mandate = (
            await session.scalars(select(Mandate).where(Mandate.person_id == person.id))
        ).one()
        mandate.station_id = here.id
    await on_duty(session, here, on_duty_person, MONDAY + timedelta(days=2))
    await on_duty(session, here, reader, MONDAY + timedelta(days=2))
    await prefs.toggle_kind(
        session=session, person_id=reader.id or 0, kind=ReminderKind.digest, settings=settings
    )
    await prefs.set_kind_time(
        session=session, person_id=reader.id or 0, kind=ReminderKind.digest, at=time(9, 30),
        settings=settings,
    )  # fmt: skip
    assert await plan_digests(session=session, now=local(MONDAY, 9, 29), settings=settings) == 0
    for minute in (30, 40, 50):
        await plan_digests(session=session, now=local(MONDAY, 9, minute), settings=settings)
    await plan_digests(session=session, now=local(MONDAY + timedelta(days=1), 8), settings=settings)
    got = await queued(session)
    assert got == {f"digest:2024-03-18:person{reader.id}": (local(MONDAY, 9, 30), [reader.id])}
    texts = await _texts(session, settings)
    assert texts["zh"].split("\n") == [
        "<b>本周代表活动日</b>（2024年3月18日（周一）起）",
        "",
        "<b>城关&lt;站&gt;</b>",
        "2024年3月20日（周三）：代表1、代表0",  # in the order they were put on duty
        "",
        "<b>您的值班</b>",
        "2024年3月20日（周三） 09:00–12:00 · 城关&lt;站&gt;",
    ]
    assert "Representative day this week" in texts["en"]
    # Next week it goes again, under next week's key.
    await plan_digests(
        session=session, now=local(MONDAY + timedelta(days=7), 10), settings=settings
    )
    assert len(await queued(session)) == 2


async def test_a_holiday_week_has_no_reception_day_and_a_late_digest_is_recorded_missed(
    session: AsyncSession, settings: Settings
) -> None:
    national_day = date(2024, 9, 30)  # Monday; 1–7 October are holidays
    here = await station(session)
    (reader,) = await people(session, here, 1)
    mandate = (await session.scalars(select(Mandate).where(Mandate.person_id == reader.id))).one()
    mandate.station_id = here.id
    await prefs.toggle_kind(
        session=session, person_id=reader.id or 0, kind=ReminderKind.digest, settings=settings
    )
    await plan_digests(session=session, now=local(national_day, 8), settings=settings)
    texts = await _texts(session, settings)
    assert texts["zh"].split("\n")[2:] == [
        "<b>城关站</b>",
        "本周没有接待日。",
        "",
        "您本周没有值班。",
    ]
    # Down all Monday and until Tuesday afternoon the week after: recorded missed, once.
    later = national_day + timedelta(days=8)
    for _ in range(2):
        await plan_digests(session=session, now=local(later, 13), settings=settings)
    missed = await missed_reminders(session=session, due_since=local(national_day, 0))
    assert [row.dedupe_key for row in missed] == [f"digest:2024-10-07:person{reader.id}"]
