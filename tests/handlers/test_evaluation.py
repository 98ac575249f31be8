"""/evaluation through the real Dispatcher on the hand-computed roster (tests.evaluation_kit):
the ranking with its breakdown, the shortlist, the XLSX and the draft article; the delegation
button for staff reaching several; refusals for the rest."""

from __future__ import annotations

import io

import pytest
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import BufferedInputFile
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.evaluation import EvaluationDelegation
from tests.conftest import ADMIN_ID
from tests.evaluation_kit import build_evaluation_world
from tests.factories import add_delegation, make_user
from tests.harness import Harness
from tests.report_kit import CLERK, LEADER, MEMBER, NANYANG_CLERK, NOW


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("handlers.evaluation.utcnow", lambda: NOW)


def _texts(tg: Harness, chat_id: int) -> list[str]:
    return [r.text for r in tg.api.sent(chat_id) if isinstance(r, SendMessage)]


def _documents(tg: Harness, chat_id: int) -> list[SendDocument]:
    return [r for r in tg.api.sent(chat_id) if isinstance(r, SendDocument)]


async def test_staff_get_the_ranking_shortlist_workbook_and_article(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_evaluation_world(session)
    clerk = make_user(CLERK)
    tg.api.clear()
    await tg.send(clerk, "/evaluation 2024")
    ranking, shortlist, *article = _texts(tg, CLERK)
    lines = ranking.split("\n")
    assert lines[0] == "<b>2024年度评价 · 驻洛省十四届人大代表</b>：共4名代表，满分100分。"
    assert lines[1] == "1. 王建国（一组）75.0分"
    assert lines[2] == (
        "   参加小组活动 2/2（20.0）；视察调研 3（20.0）；接待群众和办结社情民意 2（20.0）；"
        "提交建议议案 0（0.0）；向选民述职 0（0.0）；联络站值班到岗 1/1（15.0）"
    )
    assert lines[3] == "2. 李红梅（一组）36.7分"
    assert lines[7] == "4. 赵敏（二组）0.0分"
    assert shortlist == "拟表彰名单（1名）：王建国"
    assert article == [
        "表彰文稿草稿：\n\n<b>2024年度履职表现突出代表受到表彰</b>\n\n"
        "驻洛省十四届人大代表对在2024年度履职表现突出的代表王建国予以表彰。\n\n"
        "受表彰代表（按得分排序）：王建国。\n\n"
        "表彰名单依据代表全年履职情况产生：参加小组活动、视察调研、接待群众和办结社情民意、"
        "提交建议议案、向选民述职、联络站值班到岗，按权重综合计分。\n\n"
        "希望广大代表向受表彰代表学习，密切联系群众，依法履职尽责。\n\n"
        "（驻洛省十四届人大代表供稿）"
    ]
    (document,) = _documents(tg, CLERK)
    xlsx = document.document
    assert isinstance(xlsx, BufferedInputFile)
    assert xlsx.filename == f"evaluation-{world.luoyang.id}-2024.xlsx"
    book = load_workbook(io.BytesIO(xlsx.data))
    rows = [[c.value for c in row][:4] for row in book["排名"].iter_rows(min_row=2)]
    assert rows == [
        [1, "王建国", "一组", 75],
        [2, "李红梅", "一组", 36.7],
        [3, "张伟", "二组", 35],
        [4, "赵敏", "二组", 0],
    ]


async def test_an_admin_chooses_the_delegation_in_english(
    tg: Harness, session: AsyncSession
) -> None:
    world = await build_evaluation_world(session)
    admin = make_user(ADMIN_ID, language_code="en")
    await tg.send(admin, "/lang en")
    assert await tg.send(admin, "/evaluation 2024") == ("Evaluation of 2024: choose a delegation.")
    assert world.nanyang.id is not None
    tg.api.clear()
    await tg.press(admin, EvaluationDelegation(year=2024, delegation_id=world.nanyang.id))
    ranking, shortlist, article = _texts(tg, ADMIN_ID)
    assert ranking.split("\n")[:2] == [
        "<b>Evaluation 2024 · 南阳市人大代表</b>: 1 representatives, scores out of 100.",
        "1. 孙华 (南阳组) 35.0",
    ]
    assert shortlist == "Shortlist for commendation (1): 孙华"
    assert "南阳市人大代表 commends 孙华 for their outstanding performance" in article


async def test_refusals_each_with_a_clear_message(tg: Harness, session: AsyncSession) -> None:
    world = await build_evaluation_world(session)
    refused = "您的角色无法使用此功能。发送 /help 查看可用功能。"
    assert await tg.send(make_user(MEMBER), "/evaluation 2024") == refused
    assert await tg.send(make_user(LEADER), "/evaluation 2024") == refused
    clerk = make_user(CLERK)
    assert await tg.send(clerk, "/evaluation 2025") == (
        "2025年还没有开始：年度评价只统计到今天为止。"
    )
    assert await tg.send(clerk, "/evaluation") == (
        "请用四位数字写出要评价的年份，例如 /evaluation 2023。"
    )
    # Luoyang by a forged button, from Nanyang's clerk: as if it did not exist; nothing sent.
    assert world.luoyang.id is not None
    tg.api.clear()
    nanyang = make_user(NANYANG_CLERK)
    await tg.press(nanyang, EvaluationDelegation(year=2024, delegation_id=world.luoyang.id))
    assert tg.api.alerts() == ["在您的权限范围内没有这个代表小组、代表团或联络站。"]
    assert _texts(tg, NANYANG_CLERK) == []
    assert _documents(tg, NANYANG_CLERK) == []


async def test_a_delegation_without_representatives_gets_one_line(
    tg: Harness, session: AsyncSession
) -> None:
    await build_evaluation_world(session)
    empty = await add_delegation(session, "新<设>代表团")
    await session.commit()
    assert empty.id is not None
    tg.api.clear()
    await tg.press(make_user(ADMIN_ID), EvaluationDelegation(year=2024, delegation_id=empty.id))
    assert _texts(tg, ADMIN_ID) == ["2024年度评价 · 新&lt;设&gt;代表团：没有代表。"]
    assert _documents(tg, ADMIN_ID) == []
