"""Check-in at a meeting and the one-tap log after it: the code or a location near the venue,
every refusal said clearly (wrong code, twice, too early, too late, too far, not a member),
the organiser's live card, and the group-meeting activity saved once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select

from handlers.meeting_card import Act, MeetingCard
from handlers.meeting_reply import MeetingCheckin, MeetingLog
from services.clock import set_offset
from storage.duty_models import Activity
from storage.meeting_models import MeetingReply
from tests.factories import add_activity_types, make_location, make_user
from tests.handlers.meeting_steps import Clock, deliver, labels, run_tick
from tests.harness import Harness
from tests.meeting_kit import (
    LEADER,
    LI,
    OUTSIDER,
    WANG,
    ZHAO,
    World,
    add_meeting,
    build_world,
    local,
)

DAY = date(2024, 3, 20)
CODE = "4821"
VENUE = (34.6197, 112.4540)
NOT_OPEN = "签到时间为活动开始前 30 分钟至活动结束（2024-03-20 14:00 至 2024-03-20 16:30）。"


@pytest.fixture
def clock() -> Iterator[Clock]:
    yield Clock()
    set_offset(timedelta(0))


async def _setup(session: AsyncSession) -> tuple[World, int]:
    world = await build_world(session)
    await add_activity_types(session)
    meeting = await add_meeting(
        session,
        world,
        local(DAY, 14, 30),
        local(DAY, 16, 30),
        published=local(date(2024, 3, 1), 10),
        code=CODE,
    )
    return world, meeting.id or 0


async def _checked_in(session: AsyncSession) -> set[int]:
    rows = await session.scalars(
        select(MeetingReply.person_id)
        .where(MeetingReply.checked_in_at.is_not(None))  # type: ignore[union-attr]
        .execution_options(populate_existing=True)
    )
    return set(rows)


async def test_every_check_in_refusal_and_the_organiser_s_live_card(
    tg: Harness, session: AsyncSession, clock: Clock
) -> None:
    world, mid = await _setup(session)
    wang, zhao, leader = make_user(WANG), make_user(ZHAO), make_user(LEADER)

    # Too early: the button and a bare code are both refused, and so is the organiser's code.
    clock.set(local(DAY, 13, 59))
    await tg.press(wang, MeetingCheckin(meeting_id=mid))
    assert tg.api.alerts()[-1] == NOT_OPEN
    assert await tg.send(wang, CODE) == (
        "您所在小组目前没有可签到的活动。签到在活动开始前 30 分钟开放，活动结束时关闭。"
    )
    await tg.press(leader, MeetingCard(meeting_id=mid, act=Act.code))
    assert tg.api.alerts()[-1] == NOT_OPEN

    clock.set(local(DAY, 14, 10))
    await tg.press(leader, MeetingCard(meeting_id=mid, act=Act.code))
    assert tg.api.last_text(LEADER).startswith(f"签到码：<b>{CODE}</b>")
    # A wrong code, then the right one, then the same again.
    assert await tg.send(wang, "1111") == "签到码不正确。请向组织者确认签到码后重新发送。"
    assert await tg.send(wang, CODE) == "已于 14:10 签到 <b>季度&lt;调研&gt;</b>。谢谢！"
    assert await tg.send(wang, CODE) == "您已签到过本次活动（14:10）。"
    # Someone of another group sending this meeting's code.
    assert await tg.send(make_user(OUTSIDER), CODE) == "该签到码属于您不在其中的小组的活动。"
    await tg.press(make_user(OUTSIDER), MeetingCheckin(meeting_id=mid))
    assert tg.api.alerts()[-1] == "该记录不存在，或不属于您。"

    # By location: about 1 km away is refused, at the venue accepted.
    await tg.press(zhao, MeetingCheckin(meeting_id=mid))
    assert tg.api.last_text(ZHAO).startswith(
        "签到 <b>季度&lt;调研&gt;</b>：请发送现场公布的 4 位签到码"
    )
    await tg.feed(make_location(user=zhao, latitude=VENUE[0] + 0.009, longitude=VENUE[1]))
    assert tg.api.last_text(ZHAO) == (
        "您的位置距会场约 1000 米，位置签到须在 500 米以内。请改为发送现场公布的签到码。"
    )
    await tg.feed(make_location(user=zhao, latitude=VENUE[0] + 0.002, longitude=VENUE[1]))
    assert tg.api.last_text(ZHAO) == "已于 14:10 签到 <b>季度&lt;调研&gt;</b>。谢谢！"
    assert await _checked_in(session) == {world.pid("wang"), world.pid("zhao")}

    await tg.press(leader, MeetingCard(meeting_id=mid, act=Act.refresh))
    card = tg.api.last_text(LEADER).split("\n")
    assert "已签到（2）：wang&lt;代表&gt;、zhao&lt;代表&gt;" in card
    assert (
        "未答复（4）：leader&lt;代表&gt;、wang&lt;代表&gt;、li&lt;代表&gt;、zhao&lt;代表&gt;"
        in card
    )

    # After the end: closed.
    clock.set(local(DAY, 16, 31))
    await tg.press(make_user(LI), MeetingCheckin(meeting_id=mid))
    assert tg.api.alerts()[-1] == NOT_OPEN
    assert await tg.send(make_user(LI), CODE) == (
        "您所在小组目前没有可签到的活动。签到在活动开始前 30 分钟开放，活动结束时关闭。"
    )
    assert await _checked_in(session) == {world.pid("wang"), world.pid("zhao")}


async def test_after_the_meeting_one_tap_logs_it_once(
    tg: Harness, session: AsyncSession, clock: Clock
) -> None:
    _world, mid = await _setup(session)
    wang = make_user(WANG)
    clock.set(local(DAY, 14, 40))
    await tg.send(wang, CODE)
    await tg.press(wang, MeetingLog(meeting_id=mid))
    assert tg.api.alerts()[-1] == "活动尚未结束。请在结束后登记。"

    end = local(DAY, 16, 30)
    clock.set(end)
    for _ in range(2):
        await run_tick(tg, end)
    await deliver(tg)
    prompts = [t for t in tg.api.texts(WANG) if t.startswith("感谢参加。")]
    assert len(prompts) == 1
    assert labels(tg, WANG) == ["登记为我的履职活动"]
    # Who did not check in gets no prompt, and a forged press is refused.
    assert not any(t.startswith("感谢参加。") for t in tg.api.texts(LEADER))
    await tg.press(make_user(LEADER), MeetingLog(meeting_id=mid))
    assert tg.api.alerts()[-1] == "只有在活动中签到的成员才能在此登记。请使用 /log 登记。"

    await tg.press_label(wang, "登记为我的履职活动")
    assert tg.api.last_text(WANG) == (
        "已登记：小组活动 <b>季度&lt;调研&gt;</b>，2024年3月20日（周三），3 分。可在 /my 中查看。"
    )
    activity = (await session.scalars(select(Activity))).one()
    assert (activity.happened_on, activity.place, activity.summary, activity.points) == (
        DAY,
        "市人大502会议室",
        "季度<调研>",
        3,
    )
    assert (activity.latitude, activity.longitude) == VENUE
    await tg.press(wang, MeetingLog(meeting_id=mid))
    assert tg.api.alerts()[-1] == "您已将本次活动登记为履职活动。"
    assert len((await session.scalars(select(Activity))).all()) == 1
    # The prompt is not sent again once logged.
    later = end + timedelta(hours=1)
    await run_tick(tg, later)
    await deliver(tg)
    assert len([t for t in tg.api.texts(WANG) if t.startswith("感谢参加。")]) == 1
