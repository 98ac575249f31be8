"""`python -m bot duty import FILE [--dry-run]`, `duty rotate`, `duty show`: the duty roster of
the representative day, from a file, by rotation, and a station's month."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.config import Settings
from services.duty.importing import DutyImport, import_duty, parse_duty_file
from services.duty.roster import DayOfDuty, month_of
from services.duty.rotation import rotate
from services.duty.stations import (
    WEEKDAYS,
    StationChange,
    parse_hours,
    parse_location,
    update_station,
)
from services.errors import DomainError
from services.i18n_marks import N_
from services.roster.limits import MAX_FILE_BYTES
from services.roster.wording import problem_line
from storage.models import Station
from storage.rota import find_station, people_by_id

duty_cli = typer.Typer(no_args_is_help=True, help="Duty roster of the representative day.")


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(1)


@duty_cli.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or XLSX file.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check only; store nothing.")] = False,
) -> None:
    """Import duty rows (station, date, representative, hours): all of them, or none."""
    settings = settings_or_exit()
    with cli_locale(settings), file.open("rb") as stream:
        data = stream.read(MAX_FILE_BYTES + 1)
        result = asyncio.run(_import(settings, data, file.name, dry_run=dry_run))
        if result.errors:
            for error in result.errors:
                typer.echo(problem_line(error), err=True)
            raise _fail(_("Nothing was imported: correct the rows above and import again."))
        if dry_run:
            typer.echo(
                _("Dry run: {count} duties are correct; nothing was stored.").format(
                    count=len(result.duties)
                )
            )
            return
        typer.echo(_("Imported {count} duties.").format(count=len(result.duties)))


async def _import(settings: Settings, data: bytes, name: str, *, dry_run: bool) -> DutyImport:
    rows, errors = await asyncio.to_thread(parse_duty_file, data, name)
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        return await import_duty(session=session, rows=rows, errors=errors, dry_run=dry_run)


@duty_cli.command("rotate")
def rotate_command(
    station: Annotated[str, typer.Option("--station", help="The station's name.")],
    start: Annotated[str, typer.Option("--from", help="First date, YYYY-MM-DD.")],
    weeks: Annotated[int, typer.Option("--weeks", help="How many weeks.")] = 4,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show only; store nothing.")] = False,
) -> None:
    """Fill the reception days with the station's representatives in turn, skipping holidays."""
    settings = settings_or_exit()
    with cli_locale(settings):
        try:
            first = date.fromisoformat(start)
        except ValueError:
            raise _fail(
                _("The date {value} is not a date like 2024-03-20.").format(value=start)
            ) from None
        try:
            lines = asyncio.run(_rotate(settings, station, first, weeks, dry_run=dry_run))
        except DomainError as exc:
            raise _fail(_(exc.message).format(**exc.params)) from None
        for line in lines:
            typer.echo(line)


async def _rotate(
    settings: Settings, name: str, first: date, weeks: int, *, dry_run: bool
) -> list[str]:
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        station = await find_station(session=session, name=name)
        if station is None:
            raise DomainError(N_("There is no station named {station}."), station=name)
        planned = await rotate(
            session=session, station=station, start=first, weeks=weeks, dry_run=dry_run
        )
        names = await people_by_id(session=session, ids=[d.person_id for d in planned])
    lines = [f"{d.day.isoformat()}  {names.get(d.person_id, '?')}" for d in planned]
    if dry_run:
        lines.append(_("Dry run: nothing was stored."))
    else:
        lines.append(_("Planned {count} duties.").format(count=len(planned)))
    return lines


@duty_cli.command("show")
def show_command(
    station: Annotated[str, typer.Option("--station", help="The station's name.")],
    month: Annotated[str, typer.Option("--month", help="The month, YYYY-MM.")],
) -> None:
    """A station's month: each reception day and who is on duty."""
    settings = settings_or_exit()
    with cli_locale(settings):
        try:
            year, number = (int(part) for part in month.split("-"))
            date(year, number, 1)
        except ValueError:
            raise _fail(_("The month {value} is not like 2024-03.").format(value=month)) from None
        try:
            days = asyncio.run(_show(settings, station, year, number))
        except DomainError as exc:
            raise _fail(_(exc.message).format(**exc.params)) from None
        for line in month_lines(days):
            typer.echo(line)


async def _show(settings: Settings, name: str, year: int, month: int) -> list[DayOfDuty]:
    async with database(settings) as sessionmaker, sessionmaker() as session:
        station = await find_station(session=session, name=name)
        if station is None:
            raise DomainError(N_("There is no station named {station}."), station=name)
        return await month_of(session=session, station=station, year=year, month=month)


def month_lines(days: list[DayOfDuty]) -> list[str]:
    lines = []
    for item in days:
        who = "、".join(name for _duty, name in item.people) or _("nobody on duty")
        mark = "" if item.reception else " " + _("(not a reception day)")
        lines.append(f"{item.day.isoformat()}  {who}{mark}")
    return lines or [_("No reception day this month.")]


@duty_cli.command("station")
def station_command(
    name: Annotated[str, typer.Argument(help="The station's name.")],
    weekday: Annotated[
        int | None, typer.Option("--weekday", min=1, max=7, help="Reception weekday, 1=Monday.")
    ] = None,
    hours: Annotated[
        str | None, typer.Option("--hours", help="Reception hours, 09:00-12:00.")
    ] = None,
    address: Annotated[str | None, typer.Option("--address", help="The address.")] = None,
    location: Annotated[
        str | None, typer.Option("--location", help="LAT,LON as Telegram shares it (WGS-84).")
    ] = None,
) -> None:
    """Show a station's reception day, hours, address and location; change what is given."""
    settings = settings_or_exit()
    with cli_locale(settings):
        try:
            change = StationChange(
                weekday=None if weekday is None else weekday - 1,
                hours=None if hours is None else parse_hours(hours),
                address=address,
                location=None if location is None else parse_location(location),
            )
            station = asyncio.run(_station(settings, name, change))
        except DomainError as exc:
            raise _fail(_(exc.message).format(**exc.params)) from None
        typer.echo(station_line(station))


async def _station(settings: Settings, name: str, change: StationChange) -> Station:
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        return await update_station(session=session, name=name, change=change)


def station_line(station: Station) -> str:
    where = "—"
    if station.latitude is not None and station.longitude is not None:
        where = f"{station.latitude:.6f},{station.longitude:.6f}"
    return _("{station}: {weekday} {starts}–{ends}; address: {address}; location: {where}").format(
        station=station.name,
        weekday=_(WEEKDAYS[station.reception_weekday]),
        starts=f"{station.reception_start:%H:%M}",
        ends=f"{station.reception_end:%H:%M}",
        address=station.address or "—",
        where=where,
    )
