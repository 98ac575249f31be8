"""Meeting reminders and the quarter watch planned by `tick` at chosen times: each once, at
its time, to the right people; never to the excused, the muted, those who turned it off or
those no longer in the group; quiet hours, a late start and a DST change."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col, select

from bot.i18n import build_i18n
from services.config import Settings
from services.deliveries.templates import Recipient, render
from services.meetings.planner import HINT as MEETINGS
from services.meetings.planner import meeting_reminders
from services.meetings.watch import HINT as WATCH
from services.meetings.watch import quarter_watch
from services.scheduling.preferences import ReminderKind, set_until, toggle_kind
from services.scheduling.tick import tick
from storage.db import create_engine, create_sessionmaker
from storage.meeting_models import Answer, MeetingReply
from storage.meetings import save_meeting
from storage.models import Group, Mandate
from storage.scheduling import planner_hint
from storage.scheduling_models import MissedReminder
from tests.meeting_kit import (
    add_meeting,
    build_world,
    deliveries,
    keys,
    local,
    recipients_of,
)

DAY = date(2024, 3, 20)
PLANNERS = [meeting_reminders]


async def _tick(engine: AsyncEngine, settings: Settings, now: datetime) -> None:
    await tick(
        sessionmaker=create_sessionmaker(engine), now=now, settings=settings, planners=PLANNERS
    )


async def test_each_reminder_once_to_members_not_excused_muted_off_or_removed(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    meeting = await add_meeting(
        session,
        world,
        local(DAY, 14, 30),
        local(DAY, 16, 30),
        published=local(date(2024, 3, 1), 10),
    )
    session.add(
        MeetingReply(
            meeting_id=meeting.id or 0,
            person_id=world.pid("li"),
            answer=Answer.excused,
            reason="出差",
        )
    )
    await toggle_kind(
        session=session, person_id=world.pid("zhao"), kind=ReminderKind.meeting, settings=settings
    )
    await session.commit()
    key = f"meeting:{meeting.id}:T-{{}}:p{{}}"

    await _tick(engine, settings, local(date(2024, 3, 13), 14, 29))
    assert await keys(session) == []
    for _ in range(2):  # a second tick (or process) queues nothing more
        await _tick(engine, settings, local(date(2024, 3, 13), 14, 30))
    assert await keys(session) == [
        key.format("7d", world.pid("leader")),
        key.format("7d", world.pid("wang")),
    ]
    assert await recipients_of(session, key.format("7d", world.pid("wang"))) == [world.pid("wang")]

    # 王 leaves the group; the leader mutes reminders until the day before the meeting.
    mandate = (
        await session.scalars(select(Mandate).where(col(Mandate.person_id) == world.pid("wang")))
    ).one()
    mandate.group_id = None
    session.add(mandate)
    await set_until(
        session=session,
        person_id=world.pid("leader"),
        field="muted_until",
        until=date(2024, 3, 19),
        settings=settings,
    )
    await session.commit()
    await _tick(engine, settings, local(date(2024, 3, 19), 14, 30))
    await _tick(engine, settings, local(DAY, 12, 30))
    # Muted until the 19th: nothing goes out to the leader on the 19th; on the 20th it does.
    assert await keys(session) == [
        key.format("7d", world.pid("leader")),
        key.format("7d", world.pid("wang")),
        key.format("2h", world.pid("leader")),
    ]
    await _tick(engine, settings, local(DAY, 14, 0))
    assert len(await keys(session)) == 3

    i18n = build_i18n(settings)
    last = (await deliveries(session))[-1]
    with i18n.context(), i18n.use_locale("zh"):
        shown = render(last.template_id or "", last.params, Recipient(world.pid("leader"), "zh"))
    assert shown.text.startswith("<b>提醒：</b>小组活动将于 2 小时后开始。")
    assert "季度&lt;调研&gt;" in shown.text
    assert "2024年3月20日（周三） 14:30–16:30" in shown.text
    assert [b.text for row in shown.buttons for b in row] == ["签到", "📍 位置"]
    with i18n.context(), i18n.use_locale("en"):
        shown = render(last.template_id or "", last.params, Recipient(world.pid("leader"), "en"))
    assert shown.text.startswith("<b>Reminder:</b> the group meeting starts in 2 hours.")
    assert "Wed 20 Mar 2024 14:30–16:30" in shown.text


async def test_a_meeting_muted_or_away_on_its_day_gets_no_reminder(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    await add_meeting(
        session,
        world,
        local(DAY, 14, 30),
        local(DAY, 16, 30),
        published=local(date(2024, 3, 1), 10),
    )
    for name, field in (("wang", "muted_until"), ("zhao", "unavailable_until")):
        await set_until(
            session=session, person_id=world.pid(name), field=field, until=DAY, settings=settings
        )
    await session.commit()
    await _tick(engine, settings, local(date(2024, 3, 19), 14, 30))
    people = sorted(int(k.rsplit(":p", 1)[1]) for k in await keys(session))
    assert people == sorted([world.pid("leader"), world.pid("li")])


async def test_quiet_hours_hold_the_day_before_and_the_2_hour_one_is_urgent(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    meeting = await add_meeting(
        session, world, local(DAY, 7), local(DAY, 9), published=local(date(2024, 3, 18), 10)
    )
    await _tick(engine, settings, local(date(2024, 3, 19), 7))
    await _tick(engine, settings, local(DAY, 5))
    rows = {d.dedupe_key: d.not_before for d in await deliveries(session)}
    leader = world.pid("leader")
    # 07:00 falls in the quiet hours (22:00–07:30): held until they end.
    assert rows[f"meeting:{meeting.id}:T-1d:p{leader}"] == local(date(2024, 3, 19), 7, 30)
    # Two hours before the start is within three hours: urgent, sent at 05:00.
    assert rows[f"meeting:{meeting.id}:T-2h:p{leader}"] == local(DAY, 5)
    # Published on the 18th: the 7-day reminder fell due before it and is not sent.
    assert not [k for k in rows if ":T-7d:" in k]


async def test_a_late_start_sends_what_is_still_useful_and_records_the_rest_once(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    meeting = await add_meeting(
        session,
        world,
        local(DAY, 14, 30),
        local(DAY, 16, 30),
        published=local(date(2024, 3, 1), 10),
    )
    # Nothing ran from before the 7-day reminder until after the 1-day one fell due.
    for _ in range(2):
        await _tick(engine, settings, local(date(2024, 3, 19), 15, 30))
    assert all(":T-1d:" in k for k in await keys(session))
    assert len(await keys(session)) == 4
    missed = (await session.scalars(select(MissedReminder))).all()
    assert sorted(m.dedupe_key for m in missed) == sorted(
        f"meeting:{meeting.id}:T-7d:p{world.pid(n)}" for n in ("leader", "wang", "li", "zhao")
    )


async def test_a_day_before_is_the_same_wall_clock_time_across_dst(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    berlin = settings.model_copy(update={"timezone": "Europe/Berlin"})
    world = await build_world(session)
    tz = berlin.tz
    # Clocks go forward on 31 March 2024 at 02:00 in Berlin.
    sunday = date(2024, 3, 31)
    meeting = await add_meeting(
        session,
        world,
        local(sunday, 10, tz=tz),
        local(sunday, 12, tz=tz),
        published=local(date(2024, 3, 1), 10, tz=tz),
    )
    day_before = local(date(2024, 3, 30), 10, tz=tz)
    assert day_before == datetime(2024, 3, 30, 9, tzinfo=UTC)
    assert meeting.starts_at - day_before == timedelta(hours=23)
    await _tick(engine, berlin, day_before - timedelta(minutes=1))
    assert not [k for k in await keys(session) if ":T-1d:" in k]
    await _tick(engine, berlin, day_before)
    assert len([k for k in await keys(session) if ":T-1d:" in k]) == 4
    await _tick(engine, berlin, local(sunday, 8, tz=tz))
    two_hours = [d for d in await deliveries(session) if ":T-2h:" in d.dedupe_key]
    assert {d.not_before for d in two_hours} == {local(sunday, 8, tz=tz)}


async def test_quarter_watch_on_the_first_working_day_of_the_last_month_once(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    await add_meeting(
        session,
        world,
        local(DAY, 14, 30),
        local(DAY, 16, 30),
        published=local(date(2024, 2, 1), 10),
    )
    quiet = Group(name="第二小组", delegation_id=world.group.delegation_id)
    session.add(quiet)
    await session.commit()
    watch = [quarter_watch]
    maker = create_sessionmaker(engine)

    async def run(now: datetime) -> list[str]:
        await tick(sessionmaker=maker, now=now, settings=settings, planners=watch)
        return await keys(session)

    assert await run(local(date(2024, 2, 29), 9)) == []
    assert await run(local(date(2024, 3, 1), 8, 59)) == []
    # Between looks the watch rests: until 09:00 on its day, then until the next midnight.
    assert (await planner_hint(session=session, planner=WATCH))[0] == local(date(2024, 3, 1), 9)
    for _ in range(2):
        found = await run(local(date(2024, 3, 1), 9))
    assert (await planner_hint(session=session, planner=WATCH))[0] == local(date(2024, 3, 2), 0)
    # The group with a meeting in the quarter is not reminded; the one in 南阳 reminds its
    # leader (its staff have no roster entry to reach); 第二小组 the staff of its delegation.
    assert found == [
        f"meeting-watch:2024Q1:staff:p{world.pid('clerk')}",
        f"meeting-watch:group{world.other.id}:2024Q1:p{world.pid('outsider')}",
    ]
    i18n = build_i18n(settings)
    by_key = {d.dedupe_key: d for d in await deliveries(session)}
    with i18n.context(), i18n.use_locale("zh"):
        leader = by_key[found[1]]
        shown = render(leader.template_id or "", leader.params, Recipient(0, "zh"))
        assert shown.text == (
            "<b>南阳小组</b>（南阳市人大代表）2024年第一季度尚未安排小组活动，"
            "本季度已进入最后一个月。请用 /meeting 安排。"
        )
        staff = by_key[found[0]]
        shown = render(staff.template_id or "", staff.params, Recipient(0, "zh"))
    assert shown.text.split("\n") == [
        "您负责的代表团中有 1 个小组在2024年第一季度尚未安排小组活动，本季度已进入最后一个月：",
        "• 第二小组 (驻洛省十四届人大代表)",
        "已同时提醒各组组长；可用 /meeting 安排。",
    ]
    # 1 June 2024 is a Saturday: the watch of the second quarter waits for Monday 3 June.
    assert len(await run(local(date(2024, 6, 1), 10))) == 2
    june = [k for k in await run(local(date(2024, 6, 3), 9)) if "2024Q2" in k]
    assert june == [
        f"meeting-watch:2024Q2:staff:p{world.pid('clerk')}",
        f"meeting-watch:group{world.group.id}:2024Q2:p{world.pid('leader')}",
        f"meeting-watch:group{world.other.id}:2024Q2:p{world.pid('outsider')}",
    ]
    june_staff = {d.dedupe_key: d for d in await deliveries(session)}[june[0]]
    assert [g for g, _d in june_staff.params["groups"]] == ["第一<小组>", "第二小组"]


async def test_no_quarter_watch_before_any_meeting_is_kept_here(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    await build_world(session)
    await tick(
        sessionmaker=create_sessionmaker(engine),
        now=local(date(2024, 3, 1), 9),
        settings=settings,
        planners=[quarter_watch],
    )
    assert await keys(session) == []


async def test_two_processes_ticking_at_once_send_each_reminder_once(
    database_url: str, engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    meeting = await add_meeting(
        session,
        world,
        local(DAY, 14, 30),
        local(DAY, 16, 30),
        published=local(date(2024, 3, 1), 10),
    )
    now = local(date(2024, 3, 19), 14, 30)
    # Two engines: two pools of connections, as two bot processes have.
    engines = [create_engine(database_url) for _ in range(2)]
    try:
        for _ in range(3):
            results = await asyncio.gather(
                *(
                    tick(
                        sessionmaker=create_sessionmaker(e),
                        now=now,
                        settings=settings,
                        planners=PLANNERS,
                    )
                    for e in engines
                )
            )
            assert all(-1 not in r.values() for r in results), results
    finally:
        for e in engines:
            await e.dispose()
    members = ("leader", "wang", "li", "zhao")
    assert sorted(await keys(session)) == sorted(
        f"meeting:{meeting.id}:T-1d:p{world.pid(name)}" for name in members
    )
    for name in members:
        key = f"meeting:{meeting.id}:T-1d:p{world.pid(name)}"
        assert await recipients_of(session, key) == [world.pid(name)]


async def test_the_planner_rests_until_its_next_moment_and_a_moved_meeting_wakes_it(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    meeting = await add_meeting(
        session, world, local(DAY, 14, 30), local(DAY, 16, 30), published=local(DAY, 0, 0)
    )

    async def rests_until() -> datetime | None:
        return (await planner_hint(session=session, planner=MEETINGS))[0]

    await _tick(engine, settings, local(DAY, 0, 1))
    assert await rests_until() == local(DAY, 12, 30)  # the 2-hour reminder
    await _tick(engine, settings, local(DAY, 12, 30))
    two_hours = await keys(session)
    assert len(two_hours) == 4
    assert all(":T-2h:p" in key for key in two_hours)
    assert await rests_until() == local(DAY, 16, 30)  # the end: the after-meeting prompts
    # A tick meanwhile reads the hint and nothing else: nothing more is queued.
    await _tick(engine, settings, local(DAY, 12, 45))
    assert await keys(session) == two_hours

    # Moved to 15:00 (as a change by its organiser saves it): the planner wakes, and the
    # 2-hour reminder of the new time goes out at 13:00, not after the old end.
    meeting.starts_at, meeting.ends_at = local(DAY, 15, 0), local(DAY, 17, 0)
    meeting.version, meeting.updated_at = 2, local(DAY, 12, 50)
    await save_meeting(session=session, meeting=meeting)
    await session.commit()
    assert await rests_until() is None
    await _tick(engine, settings, local(DAY, 12, 55))
    assert await rests_until() == local(DAY, 13, 0)
    await _tick(engine, settings, local(DAY, 13, 0))
    assert f"meeting:{meeting.id}:v2:T-2h:p{world.pid('leader')}" in await keys(session)
