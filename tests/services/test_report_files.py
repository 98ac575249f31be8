"""The report's workbook, charts and summary: cells compared, PNGs checked, and every label drawn
in a font that has its characters (no tofu boxes)."""

from __future__ import annotations

import gettext
import io
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import numpy as np
from fontTools.ttLib import TTCollection
from matplotlib import font_manager
from matplotlib.text import Text
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LOCALES_DIR
from services.reports import Report, UnitKind, build_report, report_files, report_words
from services.reports.charts import chart_figures
from services.reports.font import FAMILY
from services.reports.model import (
    ConcernFigures,
    GroupMonthRow,
    Period,
    PersonRow,
    TypeRow,
    Unit,
)
from services.reports.wording import ReportWords
from tests.report_kit import NOW, build_world

TZ = ZoneInfo("Asia/Shanghai")


def _chinese() -> ReportWords:
    catalogue = gettext.translation("messages", LOCALES_DIR, languages=["zh"])
    return report_words(catalogue.gettext, "zh")


async def _luoyang(session: AsyncSession, code: str = "2024Q1") -> Report:
    world = await build_world(session)
    assert world.luoyang.id is not None
    return await build_report(
        session=session,
        actor=None,
        kind=UnitKind.delegation,
        unit_id=world.luoyang.id,
        period_code=code,
        now=NOW,
        tz=TZ,
    )


async def test_the_workbook_one_sheet_per_table(session: AsyncSession) -> None:
    files = await report_files(await _luoyang(session), _chinese())
    book = load_workbook(io.BytesIO(files.xlsx))
    sheets = {s.title: [list(r) for r in s.iter_rows(values_only=True)] for s in book.worksheets}
    assert list(sheets) == [
        "按类型",
        "按小组和月份",
        "代表",
        "未登记履职",
        "小组活动",
        "值班",
        "缺勤记录",
        "社情民意",
        "简报阅读",
    ]
    assert sheets["按类型"] == [
        ["活动类型", "活动次数", "积分"],
        ["视察", 2, 6],
        ["调研", 1, 3],
        ["接待群众", 1, 2],
        ["参加大会", 1, 5],
    ]
    assert sheets["按小组和月份"][1:] == [
        ["一组", "2024-01", 2, 5],
        ["一组", "2024-02", 1, 3],
        ["一组", "2024-03", 1, 3],
        ["二组", "2024-01", 1, 5],
    ]
    assert sheets["代表"][1:] == [
        ["王建国", "一组", 3, 8],
        ["张伟", "二组", 1, 5],
        ["李红梅", "一组", 1, 3],
        ["赵敏", "二组", 0, 0],
    ]
    assert sheets["未登记履职"] == [["代表", "代表小组"], ["赵敏", "二组"]]
    assert sheets["值班"] == [
        ["联络站", "值班次数", "已到岗", "缺勤", "待值班"],
        ["涧西站", 3, 1, 2, 0],
    ]
    assert sheets["缺勤记录"][1:] == [
        [datetime(2024, 1, 17), "涧西站", "李红梅"],
        [datetime(2024, 3, 27), "涧西站", "李红梅"],
    ]
    concerns = {row[0]: row[1] for row in sheets["社情民意"][1:]}
    assert concerns["本期收到"] == 3
    assert concerns["本期办结"] == 2
    assert concerns["本期关闭"] == 1
    assert concerns["未办结，超过90天"] == 1
    assert concerns["未办结，7天以内"] == 0
    assert sheets["简报阅读"][1:] == [
        ["2024-1", "代表工作 第1期", datetime(2024, 2, 1), 4, 2, 50.0]
    ]
    assert files.stem.endswith("-2024Q1")


async def test_charts_are_pngs_of_the_expected_size(session: AsyncSession) -> None:
    files = await report_files(await _luoyang(session), _chinese())
    assert [c.name for c in files.charts] == [
        "activities_by_month",
        "points",
        "concerns",
        "read_rates",
    ]
    assert files.charts[0].title == "各小组每月履职活动"
    for chart in files.charts:
        image = Image.open(io.BytesIO(chart.png))
        assert (image.format, image.size) == ("PNG", (1000, 600))


async def test_every_label_is_drawn_in_a_font_that_has_its_characters(
    session: AsyncSession,
) -> None:
    report = await _luoyang(session)
    figures = chart_figures(report, _chinese())
    assert len(figures) == 4
    drawn: set[str] = set()
    for _name, _title, figure in figures:
        figure.savefig(io.BytesIO(), format="png")  # lays out every label, as sent
        for text in figure.findobj(Text):
            label = text.get_text()
            if not label or not text.get_visible():
                continue
            properties = text.get_fontproperties()
            path = font_manager.findfont(properties, fallback_to_default=False)
            entries = [e for e in font_manager.fontManager.ttflist if e.fname == path]
            assert FAMILY in {e.name for e in entries}, (label, path)
            _assert_covers(path, label)
            drawn.add(label)
    # The Chinese words were among them: titles, group names, states, issue numbers.
    assert {"各小组每月履职活动", "一组", "二组", "已受理", "第1期"} <= drawn


def test_many_groups_over_a_long_period_share_a_bar_and_draw_lines() -> None:
    report = Report(
        unit=Unit(UnitKind.delegation, 1, "驻洛省十四届人大代表", 1),
        period=Period(date(2023, 1, 1), date(2024, 6, 30), "2023-01-01..2024-06-30"),
        today=date(2024, 7, 1),
        types=[TypeRow("inspection", "视察", "Inspection", 14 * 18, 3 * 14 * 18)],
        group_months=[
            GroupMonthRow(f"第{group}组", 2023 + month // 12, month % 12 + 1, group, 3 * group)
            for group in range(1, 15)
            for month in range(18)
        ],
        people=[PersonRow(1, "王建国", "第1组", 3, 9)],
        duty=[],
        missed=[],
        concerns=ConcernFigures(0, 0, 0),
        reads=[],
    )
    (name, _title, figure), *_ = chart_figures(report, _chinese())
    assert name == "activities_by_month"
    axes = figure.axes[0]
    legend = axes.get_legend()
    assert legend is not None
    labels = [text.get_text() for text in legend.get_texts()]
    # The eleven busiest groups, then the other three summed: 1 + 2 + 3 activities a month.
    assert labels == [f"第{group}组" for group in range(14, 3, -1)] + ["其他小组"]
    assert len(axes.get_lines()) == 12
    others = axes.get_lines()[-1].get_ydata()
    assert isinstance(others, Sequence | np.ndarray)
    assert [int(value) for value in others] == [6] * 18


def _assert_covers(path: str, label: str) -> None:
    fonts = TTCollection(path).fonts
    cmap = fonts[0].getBestCmap()
    missing = {char for char in label if not char.isspace() and ord(char) not in cmap}
    assert not missing, f"{label!r}: {missing} not in {path}"


async def test_a_period_with_nothing_gets_a_nothing_logged_summary_and_no_chart(
    session: AsyncSession,
) -> None:
    files = await report_files(await _luoyang(session, "2022"), _chinese())
    assert files.charts == []
    assert files.summary == [
        "报表：代表团 驻洛省十四届人大代表 · 2022年",
        "本期没有任何记录：没有履职活动、小组活动、值班、社情民意或简报。",
    ]


async def test_the_summary_in_chinese(session: AsyncSession) -> None:
    files = await report_files(await _luoyang(session), _chinese())
    assert files.summary == [
        "报表：代表团 驻洛省十四届人大代表 · 2024年第一季度",
        "履职活动：5次，积分：16。",
        "· 视察：2次（6分）",
        "· 调研：1次（3分）",
        "· 接待群众：1次（2分）",
        "· 参加大会：1次（5分）",
        "未登记履职：4名代表中1名。",
        "  赵敏",
        "小组活动：2个小组中0个开展活动，共0次；应邀0人次：参加0，请假0，未答复0；签到0人次。",
        "  未开展活动：一组、二组",
        "值班：3人次，到岗1，缺勤2，待值班0。",
        "社情民意：收到3件，办结2件，关闭1件；目前未办结3件（超过90天：1件）。",
        "简报第1期：4人中2人已阅（50%）。",
    ]
