"""`python -m bot record export`: every representative's duty record of a year, as files."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.config import Settings
from services.record import RecordTarget, build_documents
from services.record.access import EARLIEST_YEAR
from storage.audit import record_audit
from storage.record import find_delegation, people_with_mandates

record_cli = typer.Typer(no_args_is_help=True, help="Duty records (履职档案).")


class UnknownDelegation(Exception):
    pass


@record_cli.command("export")
def export(
    year: Annotated[int, typer.Option(min=EARLIEST_YEAR, max=9999, help="The year, e.g. 2024.")],
    out: Annotated[Path, typer.Option(help="Folder to write the files into.")],
    delegation: Annotated[
        str | None, typer.Option(help="Only this delegation (its name or id), and only its part.")
    ] = None,
) -> None:
    """Write an XLSX and a PDF per representative holding a mandate (in the delegation given)."""
    settings = settings_or_exit()
    out.mkdir(parents=True, exist_ok=True)
    with cli_locale(settings):
        try:
            count = asyncio.run(export_records(settings, year, out, delegation))
        except UnknownDelegation:
            typer.echo(_("No delegation {name}.").format(name=delegation), err=True)
            raise typer.Exit(2) from None
        typer.echo(_("Duty records written: {count}, to {folder}.").format(count=count, folder=out))


async def export_records(settings: Settings, year: int, out: Path, delegation: str | None) -> int:
    """Writes the files into the folder ``out`` and returns how many representatives got theirs."""
    locale = settings.default_locale.value
    async with database(settings) as sessionmaker, sessionmaker() as session:
        scope: frozenset[int] | None = None
        if delegation is not None:
            found = await find_delegation(session=session, key=delegation.strip())
            if found is None or found.id is None:
                raise UnknownDelegation()
            scope = frozenset({found.id})
        people = await people_with_mandates(session=session, delegation_ids=scope)
        for person in people:
            if person.id is None:
                continue
            files = await build_documents(
                session=session,
                target=RecordTarget(person.id, year, scope),
                locale=locale,
                translate=_,
                tz=settings.tz,
                with_id=True,
            )
            await asyncio.to_thread((out / f"{files.stem}.xlsx").write_bytes, files.xlsx)
            await asyncio.to_thread((out / f"{files.stem}.pdf").write_bytes, files.pdf)
        await record_audit(
            session=session,
            actor_telegram_id=None,
            action="record.export",
            details={"year": year, "delegation": delegation, "count": len(people)},
        )
        await session.commit()
    return len(people)
