"""`python -m bot evaluation`: a delegation's ranking, workbook and draft article in a folder."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from sqlmodel import SQLModel
from typer.testing import CliRunner

from bot.cli.evaluation import evaluation
from storage.db import create_engine, create_sessionmaker
from tests.evaluation_kit import build_evaluation_world
from tests.report_kit import World


def _seed(url: str) -> World:
    async def add() -> World:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(SQLModel.metadata.create_all)
        async with create_sessionmaker(engine)() as session:
            world = await build_evaluation_world(session)
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
    app.command()(evaluation)
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_writes_ranking_workbook_and_article(world: World, tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = _run(
        "--year", "2024", "--delegation", "驻洛省十四届人大代表", "--out", str(out)
    )  # fmt: skip
    assert code == 0, output
    stem = f"evaluation-{world.luoyang.id}-2024"
    assert sorted(path.name for path in out.iterdir()) == [
        f"{stem}.md",
        f"{stem}.txt",
        f"{stem}.xlsx",
    ]
    ranking = (out / f"{stem}.txt").read_text("utf-8").splitlines()
    assert ranking[0].startswith("1\t王建国\t75.0\t参加小组活动=2/2 ")
    assert len(ranking) == 4
    article = (out / f"{stem}.md").read_text("utf-8")
    assert article.startswith("# 2024年度履职表现突出代表受到表彰\n\n")
    assert "驻洛省十四届人大代表对在2024年度履职表现突出的代表王建国予以表彰。" in article
    book = load_workbook(out / f"{stem}.xlsx")
    assert [c.value for c in book["排名"][2]][:4] == [1, "王建国", "一组", 75]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--year", "2024", "--delegation", "无此代表团"), "没有名为 无此代表团 的代表团。"),
        (("--year", "2999", "--delegation", "驻洛省十四届人大代表"), "2999年还没有开始"),
    ],
)
def test_refusals(world: World, tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, output = _run(*args, "--out", str(tmp_path / "out"))
    assert code == 2
    assert message in output
    assert not (tmp_path / "out").exists()
