"""The report's group meetings against the hand-computed meetings of tests.evaluation_kit: held
per group and their invitations by answer, per unit and period; the summary line and the sheet."""

from __future__ import annotations

import gettext
import io
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from fontTools.ttLib import TTCollection
from matplotlib import font_manager
from matplotlib.patches import Rectangle
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.i18n import LOCALES_DIR
from services.actors import Actor
from services.permissions import Role
from services.reports import Report, UnitKind, build_report, report_files, report_words
from services.reports.charts import chart_figures
from services.reports.model import ConcernFigures, MeetingRow, Period, Unit
from storage.meeting_models import MeetingState
from storage.models import Mandate
from tests.evaluation_kit import add_meeting, add_reply, build_evaluation_world, tell
from tests.report_kit import LEADER, NOW

TZ = ZoneInfo("Asia/Shanghai")
ONE = MeetingRow("一组", held=2, invited=4, attending=3, excused=0, no_answer=1, checked_in=3)
TWO = MeetingRow("二组", held=1, invited=2, attending=1, excused=1, no_answer=0, checked_in=1)


async def _report(
    session: AsyncSession, kind: UnitKind, unit_id: int | None, code: str = "2024Q1", **kw: object
) -> Report:
    assert unit_id is not None
    actor = kw.get("actor")
    assert actor is None or isinstance(actor, Actor)
    return await build_report(
        session=session,
        actor=actor,
        kind=kind,
        unit_id=unit_id,
        period_code=code,
        now=NOW,
        tz=TZ,
    )


async def test_a_delegation_quarter_per_group(session: AsyncSession) -> None:
    world = await build_evaluation_world(session)
    report = await _report(session, UnitKind.delegation, world.luoyang.id)
    # The cancelled meeting, last year's and June's do not count; Nanyang's group is not shown.
    assert report.meetings == [ONE, TWO]
    assert report.meetings_held == 3
    assert ONE.attending + ONE.excused + ONE.no_answer == ONE.invited
    year = await _report(session, UnitKind.delegation, world.luoyang.id, "2023")
    assert year.meetings == [
        MeetingRow("一组", 0, 0, 0, 0, 0, 0),
        MeetingRow("二组", 1, 2, 1, 0, 1, 1),
    ]


async def test_a_group_leader_sees_their_group_and_a_station_its_members_groups(
    session: AsyncSession,
) -> None:
    world = await build_evaluation_world(session)
    leader = Actor(
        telegram_id=LEADER,
        roles=frozenset({Role.representative, Role.group_leader}),
        locale="zh",
        person_id=world.people["wang"].id,
    )
    mine = await _report(session, UnitKind.group, world.group_one.id, actor=leader)
    assert mine.meetings == [ONE]
    station = await _report(session, UnitKind.station, world.station.id)
    assert station.meetings == [ONE]


async def test_the_quarter_under_way_counts_no_meeting_still_to_come(
    session: AsyncSession,
) -> None:
    world = await build_evaluation_world(session)
    report = await _report(session, UnitKind.group, world.group_two.id, "2024Q2")
    assert report.meetings == [MeetingRow("二组", 0, 0, 0, 0, 0, 0)]


async def test_invitations_are_kept_by_meeting_not_by_todays_roster(
    session: AsyncSession,
) -> None:
    """赵敏 moves to 一组 after the quarter: 一组's past meetings do not become hers, and 二组's
    keep her excuse. 孙华 (Nanyang) checks in at a new 一组 meeting without an invitation or an
    answer: he counts, as no answer and checked in."""
    world = await build_evaluation_world(session)
    zhao = world.people["zhao"]
    mandate = (
        await session.scalars(select(Mandate).where(col(Mandate.person_id) == zhao.id))
    ).one()
    mandate.group_id = world.group_one.id
    session.add(mandate)
    march = await add_meeting(
        session, world.group_one, datetime(2024, 3, 20, 1, tzinfo=UTC), MeetingState.scheduled
    )
    await tell(session, march, world.group_one, [world.people["wang"]])
    await add_reply(session, march, world.people["sun"], checked_in=True, answer=None)
    await session.commit()
    report = await _report(session, UnitKind.delegation, world.luoyang.id)
    assert report.meetings == [
        MeetingRow("一组", 3, 6, 3, 0, 3, 4),
        TWO,
    ]


async def test_the_summary_line_and_the_sheet(session: AsyncSession) -> None:
    world = await build_evaluation_world(session)
    catalogue = gettext.translation("messages", LOCALES_DIR, languages=["zh"])
    words = report_words(catalogue.gettext, "zh")
    report = await _report(session, UnitKind.delegation, world.luoyang.id)
    files = await report_files(report, words)
    assert (
        "小组活动：2个小组中2个开展活动，共3次；应邀6人次：参加4，请假1，未答复1；签到4人次。"
        in files.summary
    )
    book = load_workbook(io.BytesIO(files.xlsx))
    assert [list(row) for row in book["小组活动"].iter_rows(values_only=True)] == [
        ["代表小组", "开展活动次数", "应邀人次", "参加", "请假", "未答复", "签到"],
        ["一组", 2, 4, 3, 0, 1, 3],
        ["二组", 1, 2, 1, 1, 0, 1],
    ]
    quiet = await report_files(
        await _report(session, UnitKind.delegation, world.luoyang.id, "2024Q2"), words
    )
    line = "小组活动：2个小组中0个开展活动，共0次；应邀0人次：参加0，请假0，未答复0；签到0人次。"
    at = quiet.summary.index(line)
    assert quiet.summary[at + 1] == "  未开展活动：一组、二组"


async def test_a_groups_own_report_has_its_line_alone(session: AsyncSession) -> None:
    world = await build_evaluation_world(session)
    catalogue = gettext.translation("messages", LOCALES_DIR, languages=["zh"])
    words = report_words(catalogue.gettext, "zh")
    for code, line in (
        ("2024Q1", "小组活动：1次；应邀2人次：参加1，请假1，未答复0；签到1人次。"),
        ("2024Q2", "小组活动：0次；应邀0人次：参加0，请假0，未答复0；签到0人次。"),
    ):
        report = await _report(session, UnitKind.group, world.group_two.id, code)
        summary = (await report_files(report, words)).summary
        at = summary.index(line)
        assert not summary[at + 1].startswith("  ")


async def test_the_meetings_chart(session: AsyncSession) -> None:
    """A PNG of the expected size, its labels in a font that has their characters; none for a
    period without a meeting held."""
    world = await build_evaluation_world(session)
    catalogue = gettext.translation("messages", LOCALES_DIR, languages=["zh"])
    words = report_words(catalogue.gettext, "zh")
    report = await _report(session, UnitKind.delegation, world.luoyang.id)
    figures = {name: figure for name, _title, figure in chart_figures(report, words)}
    assert list(figures) == ["activities_by_month", "points", "meetings", "concerns", "read_rates"]
    figure = figures["meetings"]
    png = io.BytesIO()
    figure.savefig(png, format="png")
    image = Image.open(io.BytesIO(png.getvalue()))
    assert (image.format, image.size) == ("PNG", (1000, 600))
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_yticklabels()] == ["一组", "二组"]
    legend = axes.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["参加", "请假", "未答复"]
    # Bar lengths: attending, excused, no answer of each group, stacked.
    bars = [bar for bar in axes.patches if isinstance(bar, Rectangle)]
    assert [int(bar.get_width()) for bar in bars] == [3, 1, 0, 1, 1, 0]
    notes = [t.get_text() for t in axes.texts]
    assert notes == ["签到3", "签到1"]
    for text in [*axes.texts, axes.title, *axes.get_yticklabels(), *legend.get_texts()]:
        path = font_manager.findfont(text.get_fontproperties(), fallback_to_default=False)
        cmap = TTCollection(path).fonts[0].getBestCmap()
        assert all(ord(char) in cmap for char in text.get_text() if not char.isspace())
    quiet = await _report(session, UnitKind.delegation, world.luoyang.id, "2024Q2")
    assert "meetings" not in [name for name, _title, _figure in chart_figures(quiet, words)]


def test_many_groups_that_met_share_a_bar_past_twenty() -> None:
    catalogue = gettext.translation("messages", LOCALES_DIR, languages=["zh"])
    rows = [MeetingRow("第一组", 1, 30, 28, 1, 1, 27)] * 2 + [
        MeetingRow(f"第{n}组", 1, n, n, 0, 0, n) for n in range(1, 24)
    ]
    report = Report(
        unit=Unit(UnitKind.delegation, 1, "驻洛省十四届人大代表", 1),
        period=Period(date(2024, 1, 1), date(2024, 3, 31), "2024Q1"),
        today=date(2024, 4, 10),
        types=[],
        group_months=[],
        people=[],
        duty=[],
        missed=[],
        concerns=ConcernFigures(0, 0, 0),
        reads=[],
        meetings=[*rows, MeetingRow("未开会组", 0, 0, 0, 0, 0, 0)],
    )
    words = report_words(catalogue.gettext, "zh")
    [(name, _title, figure)] = chart_figures(report, words)
    assert name == "meetings"
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    # Two groups of one name stay two bars; the nineteen with most invitations, then the rest
    # (1 to 6 invited: 21 in all) as one.
    assert labels[:3] == ["第一组", "第一组", "第23组"]
    assert len(labels) == 20
    assert labels[-1] == "其他小组"
    assert figure.axes[0].texts[-1].get_text() == "签到21"
