"""The weekly digest: only to those who turn it on, once, on Monday at their time; the week's
reception days at their stations, who is on duty, their own duties, their groups' meetings of
the week; in their language."""

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
from storage.meeting_models import Meeting, MeetingState
from storage.models import Group, Mandate, Person
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


async def test_the_week_s_meetings_of_the_person_s_groups_not_cancelled_ones_or_next_week_s(
    session: AsyncSession, settings: Settings
) -> None:
    here = await station(session)
    reader, neighbour = await people(session, here, 2)
    ours = Group(name="第一小组", delegation_id=here.delegation_id or 0)
    theirs = Group(name="第二小组", delegation_id=here.delegation_id or 0)
    session.add_all([ours, theirs])
    await session.flush()
    for person, group in ((reader, ours), (neighbour, theirs)):
        mandate = (
            await session.scalars(select(Mandate).where(Mandate.person_id == person.id))
        ).one()
        mandate.station_id = here.id
        mandate.group_id = group.id

    def meeting(
        group: Group,
        title: str,
        day: date,
        hour: int,
        state: MeetingState = MeetingState.scheduled,
    ) -> Meeting:
        return Meeting(
            group_id=group.id or 0,
            delegation_id=group.delegation_id,
            title=title,
            starts_at=local(day, hour, 30),
            ends_at=local(day, hour + 2),
            place="市人大<502>会议室",
            organiser_telegram_id=1,
            checkin_code="4821",
            state=state,
        )

    session.add_all(
        [
            meeting(ours, "一季度<调研>", MONDAY + timedelta(days=3), 14),
            meeting(
                ours, "已取消的活动", MONDAY + timedelta(days=2), 9, state=MeetingState.cancelled
            ),
            meeting(ours, "下周的活动", MONDAY + timedelta(days=7), 9),
            meeting(theirs, "第二小组的活动", MONDAY + timedelta(days=1), 9),
            meeting(ours, "周日晚上", MONDAY + timedelta(days=6), 19),
        ]
    )
    await session.flush()
    for person in (reader, neighbour):
        await prefs.toggle_kind(
            session=session, person_id=person.id or 0, kind=ReminderKind.digest, settings=settings
        )
    await plan_digests(session=session, now=local(MONDAY, 8), settings=settings)
    i18n = build_i18n(settings)

    async def texts_of(person: Person) -> dict[str, str]:
        delivery = (
            await session.scalars(
                select(Delivery).where(
                    Delivery.dedupe_key == f"digest:2024-03-18:person{person.id}"
                )
            )
        ).one()
        found = {}
        for locale in ("zh", "en"):
            with i18n.context(), i18n.use_locale(locale):
                found[locale] = render(
                    delivery.template_id or "", delivery.params, Recipient(1, locale)
                ).text
        return found

    texts = await texts_of(reader)
    assert texts["zh"].split("\n")[-4:] == [
        "",
        "<b>本周小组活动</b>",
        "2024年3月21日（周四） 14:30–16:00 · 一季度&lt;调研&gt; · 市人大&lt;502&gt;会议室",
        "2024年3月24日（周日） 19:30–21:00 · 周日晚上 · 市人大&lt;502&gt;会议室",
    ]
    for left_out in ("已取消的活动", "下周的活动", "第二小组的活动"):
        assert left_out not in texts["zh"]
    assert texts["en"].split("\n")[-3:-1] == [
        "<b>Group meetings this week</b>",
        "Thu 21 Mar 2024 14:30–16:00 · 一季度&lt;调研&gt; · 市人大&lt;502&gt;会议室",
    ]
    # The other group's member hears of their own group's meeting only.
    texts = await texts_of(neighbour)
    assert texts["zh"].split("\n")[-2:] == [
        "<b>本周小组活动</b>",
        "2024年3月19日（周二） 09:30–11:00 · 第二小组的活动 · 市人大&lt;502&gt;会议室",
    ]
