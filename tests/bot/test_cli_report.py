"""`python -m bot report`: each unit's summary, workbook and charts written to a folder."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel
from typer.testing import CliRunner

from bot.cli.report import report
from storage.db import create_engine, create_sessionmaker
from tests.evaluation_kit import build_evaluation_world
from tests.report_kit import World, build_world


def _seed(url: str, build: Callable[[AsyncSession], Awaitable[World]] = build_world) -> World:
    async def add() -> World:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(SQLModel.metadata.create_all)
        async with create_sessionmaker(engine)() as session:
            world = await build(session)
        await engine.dispose()
        return world

    return asyncio.run(add())


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)  # away from any .env of the checkout
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "zh")
    return _seed(url)


def _run(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    app.command()(report)
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_by_group_of_a_delegation(world: World, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _run(
        "--period", "2024Q1", "--by", "group", "--delegation", "驻洛省十四届人大代表",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, output
    assert "报表：代表小组 一组 · 2024年第一季度" in output
    assert output.rstrip().endswith(f"已写出报表：2份，位于 {out}。")
    one, two = world.group_one.id, world.group_two.id
    names = sorted(path.name for path in out.iterdir())
    assert names == sorted(
        [
            *(
                f"report-group-{one}-2024Q1{suffix}"
                for suffix in (
                    ".txt",
                    ".xlsx",
                    "-activities_by_month.png",
                    "-points.png",
                    "-concerns.png",
                    "-read_rates.png",
                )
            ),
            # 二组: no concern received in the quarter, so no concern chart.
            *(
                f"report-group-{two}-2024Q1{suffix}"
                for suffix in (
                    ".txt",
                    ".xlsx",
                    "-activities_by_month.png",
                    "-points.png",
                    "-read_rates.png",
                )
            ),
        ]
    )
    text = (out / f"report-group-{one}-2024Q1.txt").read_text("utf-8")
    assert text.splitlines()[1] == "履职活动：4次，积分：11。"
    book = load_workbook(out / f"report-group-{one}-2024Q1.xlsx")
    assert book["代表"]["A2"].value == "王建国"
    image = Image.open(out / f"report-group-{one}-2024Q1-points.png")
    assert image.size == (1000, 600)


def test_a_delegation_in_english_and_an_empty_year(world: World, tmp_path: Path) -> None:
    out = tmp_path / "en"
    code, output = _run(
        "--period", "2022", "--by", "delegation", "--delegation", str(world.nanyang.id),
        "--out", str(out), "--lang", "en",
    )  # fmt: skip
    assert code == 0, output
    stem = f"report-delegation-{world.nanyang.id}-2022"
    assert sorted(p.name for p in out.iterdir()) == [f"{stem}.txt", f"{stem}.xlsx"]
    assert (out / f"{stem}.txt").read_text("utf-8").splitlines() == [
        "Report: Delegation 南阳市人大代表 · 2022",
        "Nothing logged: no activities, group meetings, duty, concerns or bulletin issues in "
        "this period.",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2999Q1"), "这个时段还没有开始"),
        (("--period", "明年"), "无法识别这个时段"),
        (("--period", "2024", "--delegation", "不存在"), "没有名为 不存在 的代表团。"),
    ],
)
def test_refusals(world: World, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    out = tmp_path / "never"
    code, output = _run(*args, "--out", str(out))
    assert code == 2
    assert message in output
    assert not out.exists()


def test_the_group_meetings_in_the_text_and_their_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'meetings.db'}"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    world = _seed(url, build_evaluation_world)
    out = tmp_path / "out"
    code, output = _run(
        "--period", "2024Q1", "--by", "delegation", "--delegation", str(world.luoyang.id),
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, output
    stem = f"report-delegation-{world.luoyang.id}-2024Q1"
    assert (
        "Group meetings: 3 in 2 of 2 groups; invitations 6: attending 4, excused 1, "
        "no answer 1; checked in 4."
    ) in (out / f"{stem}.txt").read_text("utf-8").splitlines()
    sheet = load_workbook(out / f"{stem}.xlsx")["Group meetings"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Group", "Meetings held", "Invited", "Attending", "Excused", "No answer", "Checked in"],
        ["一组", 2, 4, 3, 0, 1, 3],
        ["二组", 1, 2, 1, 1, 0, 1],
    ]
