"""`roster import FILE`: the report printed in the deployment's language, and the exit code."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
import typer
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import func, select
from typer.testing import CliRunner

from bot.cli.roster import import_file, roster_cli
from services.config import Locale, Settings
from services.roster import parse_roster
from services.roster.importer import import_roster
from storage.migrate import upgrade
from storage.models import Person
from tests.services.roster.builders import HEADER_ZH, person, roster_csv, xlsx_bytes

GOOD = (
    person("王建国", external_id="P001", delegation="驻洛省十四届人大代表", phone="13800000001"),
    person("李红梅", external_id="P002", delegation="驻洛省十四届人大代表"),
)
BAD = person("坏行", level="部")


def _file(folder: Path, *rows: Sequence[object]) -> Path:
    path = folder / "roster.csv"
    path.write_bytes(roster_csv(*rows))
    return path


def _english(settings: Settings) -> Settings:
    return settings.model_copy(update={"default_locale": Locale.en})


async def _people(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(Person)) or 0)


async def test_a_clean_file_is_imported(
    settings: Settings, session: AsyncSession, tmp_path: Path
) -> None:
    outcome = await import_file(
        settings=_english(settings), path=_file(tmp_path, *GOOD), dry_run=False, skip_bad=False
    )

    assert outcome.exit_code == 0
    assert outcome.lines[:2] == [
        "Roster imported from roster.csv.",
        "New: 2. Updated: 0. Unchanged: 0.",
    ]
    assert await _people(session) == 2


async def test_bad_rows_stop_the_import_and_fail_the_command(
    settings: Settings, session: AsyncSession, tmp_path: Path
) -> None:
    outcome = await import_file(
        settings=_english(settings), path=_file(tmp_path, *GOOD, BAD), dry_run=False, skip_bad=False
    )

    assert outcome.exit_code == 1
    assert outcome.lines[0].startswith("Nothing was imported from roster.csv")
    assert "--skip-bad" in outcome.lines[0]
    assert "Errors: 1" in outcome.lines
    assert any(line.startswith("Row 4: Unknown level 部") for line in outcome.lines)
    assert await _people(session) == 0


async def test_skip_bad_imports_the_rest_and_succeeds(
    settings: Settings, session: AsyncSession, tmp_path: Path
) -> None:
    outcome = await import_file(
        settings=_english(settings), path=_file(tmp_path, *GOOD, BAD), dry_run=False, skip_bad=True
    )

    assert outcome.exit_code == 0
    assert (
        outcome.lines[0] == "Roster imported from roster.csv; the rows with errors were left out."
    )
    assert any(line.startswith("Row 4:") for line in outcome.lines)
    assert await _people(session) == 2


async def test_a_file_with_no_valid_row_fails_even_with_skip_bad(
    settings: Settings, tmp_path: Path, session: AsyncSession
) -> None:
    outcome = await import_file(
        settings=_english(settings), path=_file(tmp_path, BAD), dry_run=False, skip_bad=True
    )

    assert outcome.exit_code == 1
    assert outcome.lines[0] == "Nothing was imported from roster.csv: no row is valid."


async def test_a_dry_run_saves_nothing(
    settings: Settings, session: AsyncSession, tmp_path: Path
) -> None:
    clean = await import_file(
        settings=_english(settings), path=_file(tmp_path, *GOOD), dry_run=True, skip_bad=False
    )
    with_bad_rows = await import_file(
        settings=_english(settings), path=_file(tmp_path, *GOOD, BAD), dry_run=True, skip_bad=False
    )

    assert clean.exit_code == 0
    assert clean.lines[:2] == [
        "Dry run of roster.csv: nothing was saved.",
        "Would be new: 2. Would be updated: 0. Unchanged: 0.",
    ]
    assert with_bad_rows.exit_code == 1
    assert await _people(session) == 0


async def test_the_report_is_in_the_deployment_language(
    settings: Settings, session: AsyncSession, tmp_path: Path
) -> None:
    await import_roster(
        session=session,
        parsed=parse_roster(roster_csv(GOOD[0]), "old.csv"),
        scope=None,
        actor_telegram_id=None,
        dry_run=False,
        skip_bad=False,
    )
    await session.commit()

    outcome = await import_file(
        settings=settings, path=_file(tmp_path, *GOOD), dry_run=False, skip_bad=False
    )

    assert settings.default_locale is Locale.zh
    assert outcome.exit_code == 0
    assert outcome.report is not None
    assert (outcome.report.created, outcome.report.unchanged) == (1, 1)
    assert "roster.csv" in outcome.lines[0]
    # The numbers in the order created, updated, unchanged, whatever the wording.
    assert re.findall(r"\d+", outcome.lines[1]) == ["1", "0", "1"]


@pytest.fixture
def migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    monkeypatch.chdir(tmp_path)  # away from any .env of the checkout
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    return url


def _cli() -> typer.Typer:
    # Mounted the way `python -m bot` mounts it: `roster import`.
    app = typer.Typer()
    app.add_typer(roster_cli, name="roster")
    return app


def test_the_command_prints_the_report(migrated: str, tmp_path: Path) -> None:
    path = _file(tmp_path, *GOOD)

    first = CliRunner().invoke(_cli(), ["roster", "import", str(path)])
    again = CliRunner().invoke(_cli(), ["roster", "import", str(path), "--dry-run"])

    assert first.exit_code == 0, first.output
    assert first.output.splitlines()[:2] == [
        "Roster imported from roster.csv.",
        "New: 2. Updated: 0. Unchanged: 0.",
    ]
    assert again.exit_code == 0, again.output
    assert "Would be new: 0. Would be updated: 0. Unchanged: 2." in again.output


def test_the_command_prints_every_bad_row_not_the_chats_first_twenty(
    migrated: str, tmp_path: Path
) -> None:
    bad = [person(f"坏行{n}", level="部") for n in range(30)]
    path = _file(tmp_path, *bad)

    result = CliRunner().invoke(_cli(), ["roster", "import", str(path), "--dry-run"])

    rows = [line for line in result.output.splitlines() if line.startswith("Row ")]
    assert len(rows) == 30, result.output
    assert "more" not in result.output


def test_the_command_exits_1_on_bad_rows_unless_skipping_them(
    migrated: str, tmp_path: Path
) -> None:
    path = _file(tmp_path, *GOOD, BAD)

    blocked = CliRunner().invoke(_cli(), ["roster", "import", str(path)])
    skipped = CliRunner().invoke(_cli(), ["roster", "import", "--skip-bad", str(path)])

    assert blocked.exit_code == 1
    assert "Row 4: Unknown level 部" in blocked.output
    assert skipped.exit_code == 0
    assert "New: 2." in skipped.output


def test_the_command_reports_bad_settings_in_one_line(
    migrated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://localhost/roster")

    result = CliRunner().invoke(_cli(), ["roster", "import", str(_file(tmp_path, *GOOD))])

    assert result.exit_code == 2
    assert result.output.strip().startswith("Configuration error — DATABASE_URL")


def test_the_command_needs_an_existing_file(migrated: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["roster", "import", str(tmp_path / "none.csv")])

    assert result.exit_code == 2


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        (Locale.en, "The file is larger than 20 MB; split the roster into smaller files."),
        (Locale.zh, "文件超过 20 MB；请把名册拆分成较小的文件。"),
    ],
)
async def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    settings: Settings,
    session: AsyncSession,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    locale: Locale,
    line: str,
) -> None:
    path = tmp_path / "roster.csv"
    with path.open("wb") as file:
        # A sparse file: 20 MB and one byte long without writing them.
        file.truncate(20 * 1024 * 1024 + 1)
    opened: list[Path] = []
    real_open = Path.open

    def recording_open(self: Path, *args: object, **kwargs: object) -> object:
        opened.append(self)
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", recording_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))

    outcome = await import_file(
        settings=settings.model_copy(update={"default_locale": locale}),
        path=path,
        dry_run=False,
        skip_bad=False,
    )

    assert (outcome.exit_code, outcome.lines, outcome.report) == (1, [line], None)
    assert path not in opened
    assert await _people(session) == 0


async def test_a_workbook_is_parsed_in_the_worker_and_imported(
    settings: Settings, session: AsyncSession, tmp_path: Path
) -> None:
    path = tmp_path / "名册.xlsx"
    path.write_bytes(xlsx_bytes([HEADER_ZH, *GOOD]))

    outcome = await import_file(
        settings=_english(settings), path=path, dry_run=False, skip_bad=False
    )

    assert outcome.exit_code == 0
    assert outcome.lines[:2] == [
        "Roster imported from 名册.xlsx.",
        "New: 2. Updated: 0. Unchanged: 0.",
    ]
    assert await _people(session) == 2
