"""/scorepost and its buttons through the real Dispatcher: staff open the last quarter's
drafts, preview, edit the intro, approve; the post reaches the group's members once."""

from __future__ import annotations

from datetime import datetime

import pytest
from aiogram.methods import EditMessageReplyMarkup, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from handlers.score_post_render import ScoreAct, ScoreChart
from services.scheduling.tick import tick
from services.score_post.planner import score_drafts
from services.score_post.text import ScoreAction
from storage.models import Group, Person
from storage.score_post_models import ScoreDraft
from tests.factories import make_user
from tests.handlers.broadcast_kit import deliveries
from tests.handlers.meeting_steps import deliver, labels
from tests.harness import Harness
from tests.report_kit import CLERK, LEADER, MEMBER, NANYANG_CLERK, NOW, build_world

ZHANG = 7305


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("handlers.score_post.utcnow", lambda: NOW)


async def _keys(session: AsyncSession) -> list[str]:
    """The score post's deliveries (the roster's bulletin issues have theirs too)."""
    return [d.dedupe_key for d in await deliveries(session) if d.dedupe_key.startswith("score:")]


def _posts(tg: Harness, chat_id: int) -> list[str]:
    sent = tg.api.sent(chat_id)
    return [str(r.text) for r in sent if isinstance(r, SendMessage) and "亮分" in str(r.text)]


def _photos(tg: Harness, chat_id: int) -> list[SendPhoto]:
    return [r for r in tg.api.sent(chat_id) if isinstance(r, SendPhoto)]


async def test_preview_edit_approve_and_delivered_once(tg: Harness, session: AsyncSession) -> None:
    world = await build_world(session)
    session.add(Group(name="三组", delegation_id=world.luoyang.id or 0))
    await session.commit()
    clerk = make_user(CLERK)
    assert (await tg.send(clerk, "/scorepost")).split("\n") == [
        "2024年第一季度亮分：请预览并批准发送。",
        "待批准：一组、二组",
        "本季度无履职登记，不发亮分：三组",
    ]
    assert labels(tg, CLERK) == ["预览 一组", "预览 二组", "全部批准发送"]
    await tg.press_label(clerk, "预览 一组")
    assert len(_photos(tg, CLERK)) == 1
    # 三组 logged nothing and still counts among the delegation's groups.
    assert tg.api.last_text(CLERK).split("\n")[3:] == [
        "本组合计：履职活动 4 次，积分 11；在本代表团 3 个小组中排名第 1。",
        "• 王建国：3 次，8 分",
        "• 李红梅：1 次，3 分",
    ]
    await tg.press_label(clerk, "修改导语")
    assert tg.api.last_text(CLERK) == "请输入导语（一行）。发送 /cancel 取消。"
    assert "导语已保存。" in [await tg.send(clerk, "各位<代表>辛苦了"), *tg.api.texts(CLERK)]
    assert tg.api.last_text(CLERK).split("\n")[:2] == [
        "<b>一组</b> 2024年第一季度亮分",
        "各位&lt;代表&gt;辛苦了",
    ]
    await tg.press_label(clerk, "批准发送")
    assert tg.api.last_text(CLERK) == "一组的季度亮分正在发给本组代表。"
    # The preview's buttons are taken away.
    edits = [r for r in tg.api.sent(CLERK) if isinstance(r, EditMessageReplyMarkup)]
    assert [e.reply_markup for e in edits] == [None]
    keys = await _keys(session)
    one = world.group_one.id
    assert keys == [f"score:{one}:2024Q1"]
    # A second press of the same button: refused, nothing queued again.
    await tg.press(
        clerk, ScoreAct(action=ScoreAction.approve, group_id=one or 0, year=2024, quarter=1)
    )
    assert tg.api.alerts()[-1] == "这份季度亮分已批准过，已发给本组代表，不会重复发送。"
    assert len(await _keys(session)) == 1
    await deliver(tg)
    for member in (LEADER, MEMBER):
        assert [t.split("\n")[:2] for t in _posts(tg, member)] == [
            ["<b>一组</b> 2024年第一季度亮分", "各位&lt;代表&gt;辛苦了"]
        ]
        assert labels(tg, member) == ["📊 本季度图表"]
    # The image is drawn for the member who asks for it, a PNG of their group.
    await tg.press_label(make_user(MEMBER), "📊 本季度图表")
    photo = _photos(tg, MEMBER)[-1].photo
    assert isinstance(photo, BufferedInputFile)
    assert photo.data.startswith(b"\x89PNG")
    assert photo.filename == f"score-{one}-2024Q1.png"
    assert _posts(tg, ZHANG) == []
    # 张伟 of 二组 forges the button of 一组's chart: refused, nothing drawn.
    await tg.press(make_user(ZHANG), ScoreChart(group_id=one or 0, year=2024, quarter=1))
    assert tg.api.alerts()[-1] == "您的权限范围内没有这份季度亮分。"
    assert _photos(tg, ZHANG) == []
    await deliver(tg)
    assert len(_posts(tg, LEADER)) == 1


async def test_the_planners_list_opens_the_same_drafts(tg: Harness, session: AsyncSession) -> None:
    world = await build_world(session)
    session.add(Person(name="书记员", telegram_id=CLERK))
    await session.commit()
    app = tg.app
    monday_nine = datetime(2024, 4, 1, 9, tzinfo=app.settings.tz)
    planners = [score_drafts]
    await tick(sessionmaker=app.sessionmaker, now=monday_nine, settings=app.settings,
               planners=planners)  # fmt: skip
    await deliver(tg)
    assert tg.api.last_text(CLERK).split("\n") == [
        "2024年第一季度亮分：请预览并批准发送。",
        "待批准：一组、二组",
    ]
    await tg.press_label(make_user(CLERK), "预览 二组")
    assert tg.api.last_text(CLERK).split("\n")[3] == (
        "本组合计：履职活动 1 次，积分 5；在本代表团 2 个小组中排名第 2。"
    )
    await tg.press_label(make_user(CLERK), "批准发送")
    assert await _keys(session) == [f"score:{world.group_two.id}:2024Q1"]


async def test_an_intro_of_two_lines_is_asked_again(tg: Harness, session: AsyncSession) -> None:
    await build_world(session)
    clerk = make_user(CLERK)
    await tg.send(clerk, "/scorepost")
    await tg.press_label(clerk, "预览 一组")
    await tg.press_label(clerk, "修改导语")
    reply = await tg.send(clerk, "第一行\n第二行")
    assert reply == "导语只能是一行，不超过200个字。请重新输入。"
    saved = len(tg.api.texts(CLERK))
    await tg.send(clerk, "本季度辛苦了")
    assert tg.api.texts(CLERK)[saved] == "导语已保存。"
    drafts = (await session.scalars(select(ScoreDraft).order_by(col(ScoreDraft.id)))).all()
    assert [d.intro for d in drafts] == ["本季度辛苦了", None]


async def test_approve_all_sends_each_pending_group_once(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_world(session)
    clerk = make_user(CLERK)
    await tg.send(clerk, "/scorepost")
    await tg.press_label(clerk, "全部批准发送")
    assert tg.api.last_text(CLERK) == "已批准 2 份季度亮分，正在发送。"
    approved = (await session.scalars(select(ScoreDraft).order_by(col(ScoreDraft.group_id)))).all()
    assert [(d.group_id, d.approved_by) for d in approved] == [
        (world.group_one.id, CLERK),
        (world.group_two.id, CLERK),
    ]
    await tg.press_label(clerk, "全部批准发送")
    assert tg.api.last_text(CLERK) == "已批准 0 份季度亮分，正在发送。"
    assert len(await _keys(session)) == 2
    assert (await tg.send(clerk, "/scorepost")).split("\n")[1] == "已发送：一组、二组"
    await deliver(tg)
    zhang = _posts(tg, ZHANG)
    assert len(zhang) == 1
    assert "在本代表团 2 个小组中排名第 2" in zhang[0]


async def test_out_of_scope_and_representatives_are_refused(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_world(session)
    await tg.send(make_user(CLERK), "/scorepost")
    # Nanyang's clerk forges a button for a Luoyang group whose draft exists.
    forged = ScoreAct(
        action=ScoreAction.view, group_id=world.group_one.id or 0, year=2024, quarter=1
    )
    await tg.press(make_user(NANYANG_CLERK), forged)
    assert tg.api.alerts()[-1] == "您的权限范围内没有这份季度亮分。"
    approve = ScoreAct(
        action=ScoreAction.approve, group_id=world.group_one.id or 0, year=2024, quarter=1
    )
    await tg.press(make_user(NANYANG_CLERK), approve)
    assert tg.api.alerts()[-1] == "您的权限范围内没有这份季度亮分。"
    assert await _keys(session) == []
    # A group with no draft at all gets the same answer.
    await tg.press(
        make_user(CLERK), ScoreAct(action=ScoreAction.view, group_id=9999, year=2024, quarter=1)
    )
    assert tg.api.alerts()[-1] == "您的权限范围内没有这份季度亮分。"
    # A representative typing /scorepost is refused, and no draft is made for them.
    reply = await tg.send(make_user(LEADER), "/scorepost")
    assert reply == "您的角色无法使用此功能。发送 /help 查看可用功能。"
    # Nor may they press a staff button, forged or kept.
    leader_ok = ScoreAct(action=ScoreAction.approve, group_id=world.group_one.id or 0, year=2024,
                         quarter=1)  # fmt: skip
    await tg.press(make_user(LEADER), leader_ok)
    assert tg.api.alerts()[-1] == "您的角色无法使用此功能。发送 /help 查看可用功能。"
    assert await _keys(session) == []
    # Only the clerk's /scorepost made drafts: those of Luoyang, their scope.
    drafts = (await session.scalars(select(ScoreDraft))).all()
    assert sorted(d.group_id for d in drafts) == [world.group_one.id, world.group_two.id]
