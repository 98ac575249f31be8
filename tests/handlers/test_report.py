"""/report through the real Dispatcher: staff within their scope, a group leader their own
group; the summary, the charts as photos and the XLSX; refusals for the rest."""

from __future__ import annotations

import io

import pytest
from aiogram.methods import SendDocument, SendMessage, SendPhoto
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.report_keyboards import ReportKind, ReportPeriod, ReportUnit
from services.reports import UnitKind
from tests.evaluation_kit import build_evaluation_world
from tests.factories import add_staff, make_user
from tests.harness import Harness
from tests.report_kit import CLERK, LEADER, MEMBER, NANYANG_CLERK, NOW, build_world

Q1 = {"first": 20240101, "last": 20240331}


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("handlers.report.utcnow", lambda: NOW)


def _labels(tg: Harness, chat_id: int) -> list[str]:
    for request in reversed(tg.api.sent(chat_id)):
        markup = getattr(request, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            return [button.text for row in markup.inline_keyboard for button in row]
    raise AssertionError("no keyboard was sent")


def _files(tg: Harness, chat_id: int) -> tuple[list[SendPhoto], list[SendDocument]]:
    sent = tg.api.sent(chat_id)
    photos = [r for r in sent if isinstance(r, SendPhoto)]
    documents = [r for r in sent if isinstance(r, SendDocument)]
    return photos, documents


async def test_staff_choose_last_quarter_and_their_delegation(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_world(session)
    clerk = make_user(CLERK)
    assert await tg.send(clerk, "/report") == "报表：统计哪个时段？"
    assert _labels(tg, CLERK) == ["本季度", "上季度", "本年度", "其他时段…"]
    await tg.press_label(clerk, "上季度")
    assert tg.api.last_text(CLERK) == "2024年第一季度报表：按哪类单位统计？"
    await tg.press_label(clerk, "代表团")
    assert tg.api.last_text(CLERK) == "2024年第一季度报表：请选择代表团。"
    # Nanyang lies outside the clerk's scope: not offered.
    assert _labels(tg, CLERK) == ["驻洛省十四届人大代表"]
    await tg.press_label(clerk, "驻洛省十四届人大代表")
    summary = tg.api.last_text(CLERK)
    assert summary.startswith("报表：代表团 驻洛省十四届人大代表 · 2024年第一季度\n")
    assert "履职活动：5次，积分：16。" in summary
    assert "值班：3人次，到岗1，缺勤2，待值班0。" in summary
    photos, documents = _files(tg, CLERK)
    assert [p.caption for p in photos] == [
        "各小组每月履职活动",
        "代表积分分布",
        "本期收到的社情民意及目前办理状态",
        "各期简报阅读率（%）",
    ]
    assert all(isinstance(p.photo, BufferedInputFile) for p in photos)
    assert [d.caption for d in documents] == ["本报表的数据表"]
    xlsx = documents[0].document
    assert isinstance(xlsx, BufferedInputFile)
    assert xlsx.filename == f"report-delegation-{world.luoyang.id}-2024Q1.xlsx"
    book = load_workbook(io.BytesIO(xlsx.data))
    assert book["按类型"]["B2"].value == 2


async def test_a_group_leader_gets_their_own_group_in_english(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_world(session)
    leader = make_user(LEADER, language_code="en")
    await tg.send(leader, "/lang en")
    await tg.send(leader, "/report")
    await tg.press(leader, ReportPeriod(**Q1))
    assert tg.api.last_text(LEADER) == "Report for Q1 2024: choose a group."
    assert _labels(tg, LEADER) == ["一组"]
    await tg.press_label(leader, "一组")
    summary = tg.api.last_text(LEADER)
    assert summary.split("\n")[:2] == [
        "Report: Group 一组 · Q1 2024",
        "Activities: 4, points: 11.",
    ]
    # Another group, by a forged button: refused as if it did not exist; nothing sent.
    tg.api.clear()
    assert world.group_two.id is not None
    await tg.press(leader, ReportUnit(**Q1, kind=UnitKind.group, unit_id=world.group_two.id))
    assert tg.api.alerts() == ["There is no such group, delegation or station within your reach."]
    assert _files(tg, LEADER) == ([], [])
    assert world.luoyang.id is not None
    await tg.press(leader, ReportUnit(**Q1, kind=UnitKind.delegation, unit_id=world.luoyang.id))
    assert len(tg.api.alerts()) == 2


async def test_a_representative_is_refused(tg: Harness, session: AsyncSession) -> None:
    world = await build_world(session)
    member = make_user(MEMBER)
    answer = await tg.send(member, "/report")
    assert answer == "您的角色无法使用此功能。发送 /help 查看可用功能。"
    tg.api.clear()
    assert world.group_one.id is not None
    await tg.press(member, ReportUnit(**Q1, kind=UnitKind.group, unit_id=world.group_one.id))
    # The period and kind buttons, forged: refused alike, no unit offered.
    await tg.press(member, ReportPeriod(**Q1))
    await tg.press(member, ReportKind(**Q1, kind=UnitKind.group))
    assert tg.api.alerts() == ["您的角色无法使用此功能。发送 /help 查看可用功能。"] * 3
    assert _files(tg, MEMBER) == ([], [])
    assert not [r for r in tg.api.sent(MEMBER) if getattr(r, "reply_markup", None)]


async def test_staff_of_another_delegation_cannot_reach_it(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_world(session)
    clerk = make_user(NANYANG_CLERK)
    assert world.station.id is not None
    await tg.press(clerk, ReportUnit(**Q1, kind=UnitKind.station, unit_id=world.station.id))
    assert tg.api.alerts() == ["在您的权限范围内没有这个代表小组、代表团或联络站。"]
    await tg.press(clerk, ReportKind(**Q1, kind=UnitKind.station))
    assert tg.api.last_text(NANYANG_CLERK) == "您的权限范围内没有联络站。"
    # A page far past the last, forged: the last page, no empty keyboard.
    await tg.press(clerk, ReportKind(**Q1, kind=UnitKind.group, page=500))
    assert _labels(tg, NANYANG_CLERK) == ["南阳组"]


async def test_a_future_period_is_refused_typed_or_forged(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_world(session)
    clerk = make_user(CLERK)
    await tg.send(clerk, "/report")
    await tg.press_label(clerk, "其他时段…")
    assert tg.api.last_text(CLERK).startswith("请输入时段：季度（2024Q1）")
    assert await tg.send(clerk, "2024Q3") == "这个时段还没有开始：报表只统计到今天为止。"
    assert await tg.send(clerk, "下个月") == (
        "无法识别这个时段。请写季度（2024Q1）、年份（2024）或两个日期（2024-01-01..2024-03-31）。"
    )
    assert await tg.send(clerk, "2024-02-01..2024-02-29") == (
        "2024年2月1日（周四） – 2024年2月29日（周四）报表：按哪类单位统计？"
    )
    tg.api.clear()
    assert world.luoyang.id is not None
    future = {"first": 20240701, "last": 20240930}
    await tg.press(clerk, ReportUnit(**future, kind=UnitKind.delegation, unit_id=world.luoyang.id))
    await tg.press(clerk, ReportUnit(first=20241399, last=20241499, kind=UnitKind.group, unit_id=1))
    assert tg.api.alerts()[0] == "这个时段还没有开始：报表只统计到今天为止。"
    assert tg.api.alerts()[1].startswith("无法识别这个时段。")
    assert _files(tg, CLERK) == ([], [])


async def test_an_empty_period_says_nothing_logged_and_sends_no_file(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_world(session)
    clerk = make_user(CLERK)
    tg.api.clear()
    assert world.luoyang.id is not None
    year = {"first": 20220101, "last": 20221231}
    await tg.press(clerk, ReportUnit(**year, kind=UnitKind.delegation, unit_id=world.luoyang.id))
    texts = [r.text for r in tg.api.sent(CLERK) if isinstance(r, SendMessage)]
    assert texts == [
        "报表：代表团 驻洛省十四届人大代表 · 2022年\n"
        "本期没有任何记录：没有履职活动、小组活动、值班、社情民意或简报。"
    ]
    assert _files(tg, CLERK) == ([], [])


async def test_staff_who_lead_a_group_outside_their_scope_may_pick_it(
    tg: Harness, session: AsyncSession
) -> None:
    """王建国 leads 一组 of Luoyang and is also staff of Nanyang: he is offered Nanyang's group
    and his own, and gets his own group's report; Luoyang's other group stays out of reach."""
    world = await build_world(session)
    await add_staff(session, telegram_id=LEADER, delegations=[world.nanyang])
    await session.commit()
    leader = make_user(LEADER)
    await tg.send(leader, "/report")
    await tg.press_label(leader, "上季度")
    assert tg.api.last_text(LEADER) == "2024年第一季度报表：按哪类单位统计？"
    await tg.press_label(leader, "代表小组")
    assert _labels(tg, LEADER) == ["一组", "南阳组"]
    await tg.press_label(leader, "一组")
    assert tg.api.last_text(LEADER).split("\n")[:2] == [
        "报表：代表小组 一组 · 2024年第一季度",
        "履职活动：4次，积分：11。",
    ]
    tg.api.clear()
    assert world.group_two.id is not None
    await tg.press(leader, ReportUnit(**Q1, kind=UnitKind.group, unit_id=world.group_two.id))
    assert tg.api.alerts() == ["在您的权限范围内没有这个代表小组、代表团或联络站。"]
    await tg.press(leader, ReportKind(**Q1, kind=UnitKind.delegation))
    assert _labels(tg, LEADER) == ["南阳市人大代表"]


async def test_an_empty_quarter_says_nothing_logged(tg: Harness, session: AsyncSession) -> None:
    world = await build_world(session)
    clerk = make_user(CLERK)
    assert world.group_two.id is not None
    quarter = {"first": 20230401, "last": 20230630}
    await tg.press(clerk, ReportUnit(**quarter, kind=UnitKind.group, unit_id=world.group_two.id))
    texts = [r.text for r in tg.api.sent(CLERK) if isinstance(r, SendMessage)]
    assert texts == [
        "报表：代表小组 二组 · 2023年第二季度\n"
        "本期没有任何记录：没有履职活动、小组活动、值班、社情民意或简报。"
    ]
    assert _files(tg, CLERK) == ([], [])


async def test_a_group_leader_sees_their_groups_meetings(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_evaluation_world(session)
    leader = make_user(LEADER)
    assert world.group_one.id is not None
    await tg.press(leader, ReportUnit(**Q1, kind=UnitKind.group, unit_id=world.group_one.id))
    summary = next(r.text for r in tg.api.sent(LEADER) if isinstance(r, SendMessage))
    assert "小组活动：2次；应邀4人次：参加3，请假0，未答复1；签到3人次。" in summary.split("\n")
    photos, documents = _files(tg, LEADER)
    assert "小组活动应邀人次及答复" in [p.caption for p in photos]
    xlsx = documents[0].document
    assert isinstance(xlsx, BufferedInputFile)
    sheet = load_workbook(io.BytesIO(xlsx.data))["小组活动"]
    assert [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ["一组", 2, 4, 3, 0, 1, 3]
    ]
