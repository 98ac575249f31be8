"""`record export`: an XLSX and a PDF per representative of a year, optionally of one delegation."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.cli.record import record_cli
from storage.audit import list_audit
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import Level, Mandate
from tests.factories import add_delegation, add_record_activity, add_representative


def _seed(url: str) -> None:
    async def add() -> None:
        engine = create_engine(url)
        async with create_sessionmaker(engine)() as session:
            luoyang = await add_delegation(session, "驻洛阳代表")
            nanyang = await add_delegation(session, "驻南阳代表")
            wang = await add_representative(session, telegram_id=None, delegation=luoyang)
            await add_record_activity(session, wang, date(2024, 3, 15), summary="洛阳调研")
            namesake = await add_representative(session, telegram_id=None, delegation=nanyang)
            await add_record_activity(session, namesake, date(2024, 4, 1), summary="南阳视察")
            odd = await add_representative(
                session, telegram_id=None, delegation=nanyang, name="../李/红:梅*"
            )
            assert odd.id is not None
            assert luoyang.id is not None
            # Also sits for Luoyang: its export shows her Luoyang part only (none here).
            session.add(
                Mandate(person_id=odd.id, level=Level.city, term_number=1, delegation_id=luoyang.id)
            )
            await session.commit()
        await engine.dispose()

    asyncio.run(add())


@pytest.fixture
def migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    _seed(url)
    monkeypatch.chdir(tmp_path)  # away from any .env of the checkout
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "zh")
    return url


def _cli() -> typer.Typer:
    # Wired the way `python -m bot` mounts it: `record export`.
    app = typer.Typer()
    app.add_typer(record_cli, name="record")
    return app


def _audit(url: str) -> list[dict[str, object]]:
    async def read() -> list[dict[str, object]]:
        engine = create_engine(url)
        async with create_sessionmaker(engine)() as session:
            entries = await list_audit(session=session, action="record.export")
        await engine.dispose()
        return [entry.details for entry in entries]

    return asyncio.run(read())


def _summaries(path: Path) -> list[object]:
    sheet = load_workbook(path)["履职活动"]
    return [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_everyone_with_a_mandate_gets_two_files_with_safe_names(
    migrated: str, tmp_path: Path
) -> None:
    result = CliRunner().invoke(_cli(), ["record", "export", "--year", "2024", "--out", "out"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "已生成履职档案：3 人，保存在 out。"
    names = sorted(path.name for path in (tmp_path / "out").iterdir())
    assert names == [
        "履职档案_2024_李_红_梅_3.pdf",
        "履职档案_2024_李_红_梅_3.xlsx",
        "履职档案_2024_王建国_1.pdf",
        "履职档案_2024_王建国_1.xlsx",
        "履职档案_2024_王建国_2.pdf",
        "履职档案_2024_王建国_2.xlsx",
    ]
    assert _summaries(tmp_path / "out" / "履职档案_2024_王建国_1.xlsx") == ["洛阳调研"]
    assert _summaries(tmp_path / "out" / "履职档案_2024_王建国_2.xlsx") == ["南阳视察"]
    assert (tmp_path / "out" / "履职档案_2024_王建国_1.pdf").read_bytes().startswith(b"%PDF")
    assert _audit(migrated) == [{"year": 2024, "delegation": None, "count": 3}]


@pytest.mark.parametrize("delegation", ["驻洛阳代表", "1"])
def test_one_delegation_by_name_or_id(migrated: str, tmp_path: Path, delegation: str) -> None:
    result = CliRunner().invoke(
        _cli(), ["record", "export", "--year", "2024", "--delegation", delegation, "--out", "d"]
    )

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "已生成履职档案：2 人，保存在 d。"
    assert sorted(path.stem for path in (tmp_path / "d").glob("*.xlsx")) == [
        "履职档案_2024_李_红_梅_3",
        "履职档案_2024_王建国_1",
    ]
    assert _summaries(tmp_path / "d" / "履职档案_2024_李_红_梅_3.xlsx") == []


def test_an_unknown_delegation_or_year_writes_nothing(migrated: str, tmp_path: Path) -> None:
    unknown = CliRunner().invoke(
        _cli(), ["record", "export", "--year", "2024", "--delegation", "驻火星代表", "--out", "x"]
    )
    early = CliRunner().invoke(_cli(), ["record", "export", "--year", "1999", "--out", "y"])

    assert unknown.exit_code == 2
    assert unknown.output.strip() == "没有名为 驻火星代表 的代表团。"
    assert list((tmp_path / "x").iterdir()) == []
    assert early.exit_code == 2
    assert not (tmp_path / "y").exists()
