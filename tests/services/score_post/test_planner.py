"""The score post's planner through `tick` at chosen times around the quarter's end (local
time): drafts of the groups with activity, one list per staff member, once."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col, select

from bot.i18n import build_i18n
from services.config import Settings
from services.deliveries.templates import Recipient, render
from services.scheduling.tick import tick
from services.score_post.planner import score_drafts
from storage.db import create_sessionmaker
from storage.models import Group, Person
from storage.score_post_models import ScoreDraft
from tests.handlers.broadcast_kit import deliveries
from tests.report_kit import CLERK, build_world


def local(day: date, hour: int, minute: int = 0, *, settings: Settings) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=settings.tz)


async def test_drafts_and_one_list_per_staff_member_on_the_first_working_day(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    world = await build_world(session)
    quiet = Group(name="三组", delegation_id=world.luoyang.id or 0)
    clerk = Person(name="书记员", telegram_id=CLERK)
    session.add_all([quiet, clerk])
    await session.commit()
    maker = create_sessionmaker(engine)

    async def run(now: datetime) -> list[str]:
        await tick(sessionmaker=maker, now=now, settings=settings, planners=[score_drafts])
        return [d.dedupe_key for d in await deliveries(session)]

    before = await run(local(date(2024, 3, 31), 23, 59, settings=settings))
    assert await run(local(date(2024, 4, 1), 8, 59, settings=settings)) == before
    for _ in range(2):
        found = await run(local(date(2024, 4, 1), 9, settings=settings))
    mine = [k for k in found if k.startswith("score-drafts:")]
    assert mine == [f"score-drafts:2024Q1:p{clerk.id}"]
    drafts = (await session.scalars(select(ScoreDraft).order_by(col(ScoreDraft.group_id)))).all()
    # 三组 logged nothing: no draft. Nanyang's group has one (its staff have no roster entry).
    assert [(d.group_id, d.year, d.quarter) for d in drafts] == [
        (world.group_one.id, 2024, 1),
        (world.group_two.id, 2024, 1),
        (world.group_ny.id, 2024, 1),
    ]
    listing = next(d for d in await deliveries(session) if d.dedupe_key == mine[0])
    i18n = build_i18n(settings)
    with i18n.context(), i18n.use_locale("zh"):
        shown = render(listing.template_id or "", listing.params, Recipient(0, "zh"))
    assert shown.text.split("\n") == [
        "2024年第一季度亮分：请预览并批准发送。",
        "待批准：一组、二组",
        "本季度无履职登记，不发亮分：三组",
    ]
    assert [[b.text for b in row] for row in shown.buttons] == [
        ["预览 一组"],
        ["预览 二组"],
        ["全部批准发送"],
    ]
    assert shown.buttons[0][0].callback_data == f"score:view:{world.group_one.id}:2024:1"


async def test_a_quarter_ending_before_a_weekend_or_holiday_waits_for_work(
    engine: AsyncEngine, session: AsyncSession, settings: Settings
) -> None:
    await build_world(session)
    clerk = Person(name="书记员", telegram_id=CLERK)
    session.add(clerk)
    await session.commit()
    maker = create_sessionmaker(engine)

    async def run(now: datetime) -> list[str]:
        await tick(sessionmaker=maker, now=now, settings=settings, planners=[score_drafts])
        return [d.dedupe_key for d in await deliveries(session) if "score" in d.dedupe_key]

    # 2023Q2 ended on Friday 30 June; 1 July 2023 was a Saturday.
    assert await run(local(date(2023, 7, 1), 9, settings=settings)) == []
    assert await run(local(date(2023, 7, 3), 9, settings=settings)) == [
        f"score-drafts:2023Q2:p{clerk.id}"
    ]
    # Nothing was logged that quarter: no drafts at all, and the list says so.
    assert not (await session.scalars(select(ScoreDraft))).all()
    listing = next(d for d in await deliveries(session) if d.dedupe_key.startswith("score"))
    assert listing.params["nothing"] == ["一组", "二组"]  # the clerk's scope: 洛阳 only
    # The third quarter's wait for the end of the National Day holiday (1-7 October 2024).
    assert "score-drafts:2024Q3" not in " ".join(
        await run(local(date(2024, 10, 7), 9, settings=settings))
    )
    assert f"score-drafts:2024Q3:p{clerk.id}" in await run(
        local(date(2024, 10, 8), 9, settings=settings)
    )
