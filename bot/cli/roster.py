"""`roster import FILE`: a roster file imported from the command line, in every delegation."""

from __future__ import annotations

import asyncio
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.config import Settings
from services.i18n_marks import N_
from services.roster import parse_roster_file
from services.roster.importer import ImportReport, RosterChanged, import_roster
from services.roster.limits import MAX_FILE_BYTES, megabytes
from services.roster.report import report_text

roster_cli = typer.Typer(no_args_is_help=True, help="The roster of representatives and staff.")


@dataclass(frozen=True)
class ImportOutcome:
    exit_code: int
    lines: list[str]
    report: ImportReport | None


@roster_cli.command("import")
def import_command(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True, dir_okay=False, readable=True, help="The roster as .csv or .xlsx."
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Report what would change; save nothing.")
    ] = False,
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="Import the valid rows even when other rows have errors."),
    ] = False,
) -> None:
    """Add and update representatives, staff, delegations, groups and stations from a file.

    Nothing is saved while any row has an error, unless --skip-bad is given.
    """
    settings = settings_or_exit()
    outcome = asyncio.run(
        import_file(settings=settings, path=file, dry_run=dry_run, skip_bad=skip_bad)
    )
    for line in outcome.lines:
        typer.echo(line)
    raise typer.Exit(outcome.exit_code)


async def import_file(
    *, settings: Settings, path: Path, dry_run: bool, skip_bad: bool, locale: str | None = None
) -> ImportOutcome:
    """Exit code 1 when rows with errors stopped the import or nothing could be imported."""
    data = await asyncio.to_thread(_read_bounded, path)
    if data is None:
        with cli_locale(settings, locale):
            return ImportOutcome(1, [_(_TOO_LARGE).format(limit=megabytes(MAX_FILE_BYTES))], None)
    parsed = await parse_roster_file(data, path.name)
    try:
        async with database(settings) as sessionmaker, sessionmaker.begin() as session:
            report = await import_roster(
                session=session,
                parsed=parsed,
                scope=None,
                actor_telegram_id=None,
                dry_run=dry_run,
                skip_bad=skip_bad,
            )
    except RosterChanged as exc:
        with cli_locale(settings, locale):
            return ImportOutcome(1, [_(exc.message)], None)
    with cli_locale(settings, locale):
        # A terminal has no message limit: every line of the report, not the chat's first 20.
        whole = report_text(report, limit=sys.maxsize, budget=sys.maxsize)
        lines = [_title(report, path.name), *whole.lines]
    failed = report.blocked or (bool(report.errors) and report.valid_rows == 0)
    return ImportOutcome(1 if failed else 0, lines, report)


_TOO_LARGE = N_("The file is larger than {limit} MB; split the roster into smaller files.")


def _read_bounded(path: Path) -> bytes | None:
    """The file's bytes, or None when it is over the limit, found before reading it whole."""
    if path.stat().st_size > MAX_FILE_BYTES:
        return None
    with path.open("rb") as file:
        # The file may have grown since it was measured; never read more than the limit allows.
        data = file.read(MAX_FILE_BYTES + 1)
    return None if len(data) > MAX_FILE_BYTES else data


def _title(report: ImportReport, file: str) -> str:
    if report.dry_run:
        return _("Dry run of {file}: nothing was saved.").format(file=file)
    if report.applied and report.errors:
        return _("Roster imported from {file}; the rows with errors were left out.").format(
            file=file
        )
    if report.applied:
        return _("Roster imported from {file}.").format(file=file)
    if report.valid_rows == 0:
        return _("Nothing was imported from {file}: no row is valid.").format(file=file)
    return _(
        "Nothing was imported from {file}: correct the rows with errors, "
        "or run again with --skip-bad to import only the valid rows."
    ).format(file=file)
