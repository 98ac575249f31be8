"""/meeting end to end: a group leader schedules a meeting, members get the notice and the
calendar file, answer (a forged answer refused), the reminders follow the clock; the meeting is
moved (old reminders' deliveries cancelled, new ones go out) and cancelled."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.meeting import MeetingGroup
from handlers.meeting_card import Act, MeetingCard
from handlers.meeting_change import MeetingChange
from handlers.meeting_reply import MeetingIcs, MeetingRsvp
from services.clock import set_offset
from storage.delivery_models import DeliveryRecipient, DeliveryState, RecipientState
from storage.meeting_models import Answer, Meeting, MeetingReply, MeetingState
from tests.factories import make_location, make_user
from tests.handlers.meeting_steps import (
    Clock,
    deliver,
    documents,
    labels,
    run_tick,
    uploaded,
)
from tests.harness import Harness
from tests.meeting_kit import (
    CLERK,
    FAR_CLERK,
    LEADER,
    LI,
    OUTSIDER,
    WANG,
    ZHAO,
    World,
    build_world,
    deliveries,
    keys,
    local,
)

NOT_FOUND = "该记录不存在，或不属于您。"


@pytest.fixture
def clock() -> Iterator[Clock]:
    yield Clock()
    set_offset(timedelta(0))


DAY = date(2024, 3, 20)


async def _meeting(session: AsyncSession) -> Meeting:
    found = await session.scalars(select(Meeting).execution_options(populate_existing=True))
    return found.one()


async def _schedule(tg: Harness, clock: Clock, world: World) -> None:
    clock.set(local(date(2024, 3, 1), 10))
    leader = make_user(LEADER)
    answer = await tg.send(leader, "/meeting")
    assert answer == "打开即将举行的活动，或选择小组新建活动："
    assert labels(tg, LEADER) == ["新建：第一<小组>（驻洛省十四届人大代表）"]
    await tg.press_label(leader, "新建：第一<小组>（驻洛省十四届人大代表）")
    assert tg.api.last_text(LEADER).startswith("为 <b>第一&lt;小组&gt;</b> 安排新的小组活动。")
    await tg.send(leader, "季度<调研>")
    answer = await tg.send(leader, "2024-03-20 14:30")
    assert answer.startswith("地点？")
    await tg.send(leader, "市人大502会议室")
    await tg.feed(make_location(user=leader, latitude=34.6197, longitude=112.4540))
    assert tg.api.last_text(LEADER) == "请发送议程（小组将开展的内容），或点击“跳过”。"
    preview = await tg.send(leader, "文旅融合 & 座谈")
    assert preview.split("\n") == [
        "<b>发布这次小组活动？</b>将立即通知 4 名成员。",
        "活动：<b>季度&lt;调研&gt;</b>",
        "代表小组：第一&lt;小组&gt;",
        "时间：2024年3月20日（周三） 14:30–16:30",
        "地点：市人大502会议室",
        "位置：已通过 Telegram 分享",
        "议程：文旅融合 &amp; 座谈",
    ]
    await tg.press_label(leader, "发布")


async def test_schedule_notice_calendar_file_and_answers(
    tg: Harness, session: AsyncSession, clock: Clock
) -> None:
    world = await build_world(session)
    await _schedule(tg, clock, world)
    meeting = await _meeting(session)
    assert (meeting.title, meeting.place, meeting.agenda) == (
        "季度<调研>",
        "市人大502会议室",
        "文旅融合 & 座谈",
    )
    assert (meeting.starts_at, meeting.ends_at) == (local(DAY, 14, 30), local(DAY, 16, 30))
    assert (meeting.latitude, meeting.longitude) == (34.6197, 112.4540)
    assert len(meeting.checkin_code) == 4
    assert meeting.checkin_code.isdigit()
    assert await keys(session) == [f"meeting:{meeting.id}:notice"]
    # The organiser gets the calendar file first; its time zone is the deployment's.
    ics = uploaded(documents(tg, LEADER)[0]).decode()
    assert "DTSTART;TZID=Asia/Shanghai:20240320T143000" in ics
    assert "DTEND;TZID=Asia/Shanghai:20240320T163000" in ics
    assert "BEGIN:VTIMEZONE\r\nTZID:Asia/Shanghai" in ics
    assert "SUMMARY:季度<调研> · 第一<小组>" in ics
    card = tg.api.last_text(LEADER).split("\n")
    assert card[0] == "<b>季度&lt;调研&gt;</b> · 第一&lt;小组&gt;"
    assert (
        "未答复（4）：leader&lt;代表&gt;、wang&lt;代表&gt;、li&lt;代表&gt;、zhao&lt;代表&gt;"
        in card
    )

    await deliver(tg)
    for member in (LEADER, WANG, LI, ZHAO):
        notice = [t for t in tg.api.texts(member) if t.startswith("<b>代表小组活动通知</b>")]
        assert len(notice) == 1
        assert "时间：2024年3月20日（周三） 14:30–16:30" in notice[0]
    assert labels(tg, WANG) == ["✅ 参加", "🙏 请假", "📅 日历文件（.ics）", "📍 位置"]
    # The calendar file comes with a tap on the notice, as the meeting stands then.
    await tg.press_label(make_user(ZHAO), "📅 日历文件（.ics）")
    assert (
        "DTSTART;TZID=Asia/Shanghai:20240320T143000" in uploaded(documents(tg, ZHAO)[-1]).decode()
    )
    await tg.press(make_user(OUTSIDER), MeetingIcs(meeting_id=meeting.id or 0))
    assert tg.api.alerts()[-1] == NOT_FOUND
    assert documents(tg, OUTSIDER) == []
    assert tg.api.texts(OUTSIDER) == []
    assert tg.api.texts(CLERK) == []

    await tg.press_label(make_user(WANG), "✅ 参加")
    assert tg.api.last_text(WANG) == "已记录：您将参加 <b>季度&lt;调研&gt;</b>。届时会有提醒。"
    await tg.press_label(make_user(LI), "🙏 请假")
    assert tg.api.last_text(LI).startswith("您为何不能参加 <b>季度&lt;调研&gt;</b>？")
    await tg.send(make_user(LI), "出差<北京>")
    # A forged answer from someone outside the group changes nothing.
    await tg.press(make_user(OUTSIDER), MeetingRsvp(meeting_id=meeting.id or 0, answer=1))
    assert tg.api.alerts()[-1] == NOT_FOUND
    replies = {
        r.person_id: (r.answer, r.reason)
        for r in (await session.scalars(select(MeetingReply))).all()
    }
    assert replies == {
        world.pid("wang"): (Answer.attending, None),
        world.pid("li"): (Answer.excused, "出差<北京>"),
    }
    await tg.press(make_user(LEADER), MeetingCard(meeting_id=meeting.id or 0, act=Act.refresh))
    card = tg.api.last_text(LEADER).split("\n")
    assert "参加（1）：wang&lt;代表&gt;" in card
    assert "请假（1）：li&lt;代表&gt;（出差&lt;北京&gt;）" in card
    assert "未答复（2）：leader&lt;代表&gt;、zhao&lt;代表&gt;" in card
    # Staff outside the delegation cannot open it; staff in scope can.
    await tg.press(make_user(FAR_CLERK), MeetingCard(meeting_id=meeting.id or 0, act=Act.refresh))
    assert tg.api.alerts()[-1] == NOT_FOUND
    await tg.press(make_user(CLERK), MeetingCard(meeting_id=meeting.id or 0, act=Act.refresh))
    assert tg.api.last_text(CLERK).startswith("<b>季度&lt;调研&gt;</b>")


async def test_reminders_follow_the_clock_and_skip_the_excused(
    tg: Harness, session: AsyncSession, clock: Clock
) -> None:
    world = await build_world(session)
    await _schedule(tg, clock, world)
    await deliver(tg)
    await tg.press_label(make_user(LI), "🙏 请假")
    await tg.send(make_user(LI), "出差")
    seven_days = local(date(2024, 3, 13), 14, 30)
    clock.set(seven_days)
    await run_tick(tg, seven_days)
    await deliver(tg)
    for member in (LEADER, WANG, ZHAO):
        assert tg.api.last_text(member).startswith("<b>提醒：</b>小组活动将于 7 天后举行。")
    assert not any("提醒" in t for t in tg.api.texts(LI))
    await run_tick(tg, seven_days)
    await deliver(tg)
    reminded = [t for t in tg.api.texts(WANG) if t.startswith("<b>提醒：</b>")]
    assert len(reminded) == 1


async def test_move_cancels_old_reminders_and_new_ones_go_out(
    tg: Harness, session: AsyncSession, clock: Clock
) -> None:
    world = await build_world(session)
    await _schedule(tg, clock, world)
    await deliver(tg)
    meeting = await _meeting(session)
    # The 7-day reminders fall due at 14:30; queued, not yet sent.
    seven_days = local(date(2024, 3, 13), 14, 30)
    clock.set(seven_days)
    await run_tick(tg, seven_days)
    old = [d for d in await deliveries(session) if ":T-7d:" in d.dedupe_key]
    assert len(old) == 4

    leader = make_user(LEADER)
    await tg.press(leader, MeetingCard(meeting_id=meeting.id or 0, act=Act.time))
    assert tg.api.last_text(LEADER).startswith("请发送新的时间。")
    await tg.send(leader, "2024-03-27 09:00-11:00")
    confirm = tg.api.last_text(LEADER)
    assert confirm == (
        "将 <b>季度&lt;调研&gt;</b> 从 2024年3月20日（周三） 14:30–16:30 改为 "
        "2024年3月27日（周三） 09:00–11:00？将通知每位成员。"
    )
    go = MeetingChange(meeting_id=meeting.id or 0, version=1, act=Act.time, go=True)
    await tg.press(leader, go)
    assert tg.api.texts(LEADER)[-2] == "已更改。正在通知每位成员，提醒将按新时间发送。"
    meeting = await _meeting(session)
    assert (meeting.version, meeting.starts_at) == (2, local(date(2024, 3, 27), 9))
    states = {d.dedupe_key: d.state for d in await deliveries(session)}
    assert all(states[d.dedupe_key] == DeliveryState.cancelled for d in old)
    rows = await session.scalars(
        select(DeliveryRecipient.state).where(
            col(DeliveryRecipient.delivery_id).in_([d.id for d in old])
        )
    )
    assert set(rows) == {RecipientState.cancelled}
    assert f"meeting:{meeting.id}:v2:moved" in states
    assert (
        "DTSTART;TZID=Asia/Shanghai:20240327T090000" in uploaded(documents(tg, LEADER)[-1]).decode()
    )
    assert "SEQUENCE:2" in uploaded(documents(tg, LEADER)[-1]).decode()
    # The same confirmation pressed again changes nothing.
    await tg.press(leader, go)
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    assert (await _meeting(session)).version == 2

    await deliver(tg)
    for member in (LEADER, WANG, LI, ZHAO):
        texts = tg.api.texts(member)
        assert not any("7 天后" in t for t in texts)
        assert any(
            t.startswith("<b>小组活动有变更。</b>") and "2024年3月27日（周三） 09:00–11:00" in t
            for t in texts
        )
    # The new time's reminders have keys of their own and go out.
    new_seven = local(date(2024, 3, 20), 9)
    clock.set(new_seven)
    await run_tick(tg, new_seven)
    await deliver(tg)
    assert tg.api.last_text(WANG).startswith("<b>提醒：</b>小组活动将于 7 天后举行。")
    assert f"meeting:{meeting.id}:v2:T-7d:p{world.pid('wang')}" in await keys(session)

    # The place changes, without a location.
    await tg.press(leader, MeetingCard(meeting_id=meeting.id or 0, act=Act.place))
    await tg.send(leader, "代表之家")
    await tg.press_label(leader, "不附位置")
    assert tg.api.last_text(LEADER) == (
        "将 <b>季度&lt;调研&gt;</b> 从 市人大502会议室 改为 代表之家？将通知每位成员。"
    )
    await tg.press_label(leader, "确认")
    meeting = await _meeting(session)
    assert (meeting.version, meeting.place, meeting.latitude) == (3, "代表之家", None)

    # Cancelled: everyone told, the queued reminders cancelled, no more planned.
    await tg.press(leader, MeetingCard(meeting_id=meeting.id or 0, act=Act.cancel))
    assert tg.api.last_text(LEADER) == (
        "取消活动 <b>季度&lt;调研&gt;</b>（2024年3月27日（周三） 09:00–11:00）？将通知每位成员。"
    )
    await tg.press_label(leader, "确认")
    meeting = await _meeting(session)
    assert meeting.state == MeetingState.cancelled
    await deliver(tg)
    for member in (LEADER, WANG, LI, ZHAO):
        assert tg.api.last_text(member).startswith("<b>小组活动已取消。</b>")
    before = len(await keys(session))
    day_before = local(date(2024, 3, 26), 9)
    clock.set(day_before)
    await run_tick(tg, day_before)
    assert len(await keys(session)) == before
    # A cancelled meeting takes no more answers.
    await tg.press(make_user(WANG), MeetingRsvp(meeting_id=meeting.id or 0, answer=1))
    assert tg.api.alerts()[-1] == "该活动已取消。"


async def test_who_may_schedule_and_what_bad_input_gets(
    tg: Harness, session: AsyncSession, clock: Clock
) -> None:
    world = await build_world(session)
    clock.set(local(date(2024, 3, 1), 10))
    answer = await tg.send(make_user(WANG), "/meeting")
    assert answer == "您的角色无法使用此功能。发送 /help 查看可用功能。"
    # Staff see the groups of their scope only; a leader only their own group.
    await tg.send(make_user(FAR_CLERK), "/meeting")
    assert labels(tg, FAR_CLERK) == ["新建：南阳小组（南阳市人大代表）"]
    leader = make_user(LEADER)
    await tg.press(leader, MeetingGroup(group_id=world.other.id or 0))
    assert tg.api.alerts()[-1] == NOT_FOUND
    await tg.press(leader, MeetingGroup(group_id=world.group.id or 0))
    await tg.send(leader, "季度调研")
    assert await tg.send(leader, "明天下午") == (
        "请按 2024-03-20 14:30 的格式发送日期和时间，也可带结束时间：2024-03-20 14:30-16:30。"
    )
    assert await tg.send(leader, "2024-02-20 14:30") == (
        "该时间已过。请发送将来的时间，例如 2024-03-08 14:30。"
    )
    await tg.send(leader, "3月20日 14:30-16:00")
    await tg.send(leader, "代表之家")
    assert await tg.send(leader, "34.6197, 112.4540") == (
        "请通过 Telegram 分享位置（📎 → 位置），或点击“跳过”。"
    )
    await tg.press_label(leader, "跳过")
    preview = await tg.send(leader, "议程")
    assert "时间：2024年3月20日（周三） 14:30–16:00" in preview
    assert "位置：" not in preview
    await tg.press_label(leader, "取消")
    assert tg.api.last_text(LEADER) == "已取消，未发布任何内容。"
    assert (await session.scalars(select(Meeting))).all() == []


async def test_a_preview_confirmed_after_its_time_passed_publishes_nothing(
    tg: Harness, session: AsyncSession, clock: Clock
) -> None:
    world = await build_world(session)
    clock.set(local(date(2024, 3, 20), 14))
    leader = make_user(LEADER)
    await tg.press(leader, MeetingGroup(group_id=world.group.id or 0))
    for answer in ("季度调研", "2024-03-20 14:30", "代表之家"):
        await tg.send(leader, answer)
    await tg.press_label(leader, "跳过")
    await tg.send(leader, "议程")
    clock.set(local(date(2024, 3, 20), 14, 31))
    await tg.press_label(leader, "发布")
    assert tg.api.last_text(LEADER).startswith("该时间已经过去。请按 2024-03-20 14:30 的格式")
    assert (await session.scalars(select(Meeting))).all() == []
    # Only the time is asked again; the rest of the meeting is kept.
    preview = await tg.send(leader, "2024-03-21 09:00")
    assert "时间：2024年3月21日（周四） 09:00–11:00" in preview
    assert "地点：代表之家" in preview
    await tg.press_label(leader, "发布")
    assert (await session.scalars(select(Meeting))).one().title == "季度调研"
