"""`python -m bot report`: a period's report per unit (group, delegation or station) as files:
the summary text, the XLSX and the chart PNGs, the same the chat sends staff."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.errors import DomainError
from services.reports import (
    UnitKind,
    build_report,
    parse_period,
    reachable_units,
    report_files,
    report_words,
)
from storage.audit import record_audit
from storage.record import find_delegation


class UnknownDelegation(Exception):
    pass


def report(
    period: Annotated[
        str, typer.Option(help="A quarter (2024Q1), a year (2024) or 2024-01-01..2024-03-31.")
    ],
    out: Annotated[Path, typer.Option(help="Folder to write the files into.")],
    by: Annotated[UnitKind, typer.Option(help="One report per unit of this kind.")] = (
        UnitKind.group
    ),
    delegation: Annotated[
        str | None, typer.Option(help="Only the units of this delegation (its name or id).")
    ] = None,
    lang: Annotated[str | None, typer.Option(help="zh or en; the default locale if not given.")] = (
        None
    ),
) -> None:
    """Write each unit's report of the period: summary (.txt), workbook (.xlsx), charts (.png)."""
    settings = settings_or_exit()
    with cli_locale(settings, lang):
        try:
            count = asyncio.run(write_reports(settings, period, by, delegation, out, lang))
        except UnknownDelegation:
            typer.echo(_("No delegation {name}.").format(name=delegation), err=True)
            raise typer.Exit(2) from None
        except DomainError as error:
            typer.echo(_(error.message).format(**error.params), err=True)
            raise typer.Exit(2) from None
        typer.echo(_("Reports written: {count}, to {folder}.").format(count=count, folder=out))


async def write_reports(
    settings: Settings,
    period: str,
    kind: UnitKind,
    delegation: str | None,
    out: Path,
    lang: str | None,
) -> int:
    """Writes the files of every unit of ``kind`` (in ``delegation``) and returns how many."""
    words = report_words(_, lang or settings.default_locale.value)
    now = utcnow()
    # A period that is malformed or has not begun is refused before anything is read.
    parse_period(period, today=local_today(now, settings.tz))
    async with database(settings) as sessionmaker, sessionmaker() as session:
        units = await reachable_units(session=session, actor=None, kind=kind)
        if delegation is not None:
            found = await find_delegation(session=session, key=delegation.strip())
            if found is None:
                raise UnknownDelegation()
            units = [unit for unit in units if unit.delegation_id == found.id]
        await asyncio.to_thread(out.mkdir, parents=True, exist_ok=True)
        for unit in units:
            built = await build_report(
                session=session,
                actor=None,
                kind=kind,
                unit_id=unit.id,
                period_code=period,
                now=now,
                tz=settings.tz,
            )
            files = await report_files(built, words)
            text = "\n".join(files.summary) + "\n"
            await asyncio.to_thread((out / f"{files.stem}.txt").write_text, text, "utf-8")
            await asyncio.to_thread((out / f"{files.stem}.xlsx").write_bytes, files.xlsx)
            for chart in files.charts:
                path = out / f"{files.stem}-{chart.name}.png"
                await asyncio.to_thread(path.write_bytes, chart.png)
            typer.echo(files.summary[0])
        await record_audit(
            session=session,
            actor_telegram_id=None,
            action="report.export",
            details={"period": period, "by": kind.value, "delegation": delegation},
        )
        await session.commit()
    return len(units)
