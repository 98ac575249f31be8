"""`python -m bot calendar set DATE workday|holiday|auto`, `calendar show YYYY-MM`: the working
days every feature counts, for years the holiday package does not know yet."""

from __future__ import annotations

import asyncio
import calendar as months
from datetime import date
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.config import Settings
from services.duty.stations import WEEKDAYS
from services.workdays import month_days, package_knows
from storage.rota import clear_override, list_overrides, set_override
from storage.rota_models import DayKind

calendar_cli = typer.Typer(no_args_is_help=True, help="Working days and holidays.")


@calendar_cli.command("set")
def set_command(
    day: Annotated[str, typer.Argument(help="The date, YYYY-MM-DD.")],
    kind: Annotated[str, typer.Argument(help="workday, holiday, or auto (remove the override).")],
) -> None:
    """Make a date a working day or a holiday, whatever the holiday package says."""
    settings = settings_or_exit()
    with cli_locale(settings):
        try:
            when = date.fromisoformat(day)
        except ValueError:
            typer.echo(
                _("The date {value} is not a date like 2024-03-20.").format(value=day), err=True
            )
            raise typer.Exit(1) from None
        if kind not in ("workday", "holiday", "auto"):
            typer.echo(_("Say workday, holiday or auto."), err=True)
            raise typer.Exit(1)
        asyncio.run(_set(settings, when, kind))
        if kind == "auto":
            typer.echo(_("{day} follows the holiday calendar again.").format(day=when.isoformat()))
        elif kind == "workday":
            typer.echo(_("{day} is a working day.").format(day=when.isoformat()))
        else:
            typer.echo(_("{day} is a holiday.").format(day=when.isoformat()))


async def _set(settings: Settings, day: date, kind: str) -> None:
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        if kind == "auto":
            await clear_override(session=session, day=day)
        else:
            await set_override(session=session, day=day, kind=DayKind(kind))


@calendar_cli.command("show")
def show_command(month: Annotated[str, typer.Argument(help="The month, YYYY-MM.")]) -> None:
    """Each day of a month: working day or not, and where that comes from."""
    settings = settings_or_exit()
    with cli_locale(settings):
        try:
            year, number = (int(part) for part in month.split("-"))
            date(year, number, 1)
        except ValueError:
            typer.echo(_("The month {value} is not like 2024-03.").format(value=month), err=True)
            raise typer.Exit(1) from None
        for line in asyncio.run(_show(settings, year, number)):
            typer.echo(line)


async def _show(settings: Settings, year: int, month: int) -> list[str]:
    first = date(year, month, 1)
    last = date(year, month, months.monthrange(year, month)[1])
    async with database(settings) as sessionmaker, sessionmaker() as session:
        days = await month_days(session, first, last)
        overrides = {
            row.day for row in await list_overrides(session=session, first=first, last=last)
        }
    lines = []
    for day, works in days.items():
        state = _("working day") if works else _("day off")
        if day in overrides:
            source = _("set by an admin")
        elif package_knows(day) is None:
            source = _("Monday to Friday: the holiday calendar does not know this year")
        else:
            source = _("holiday calendar")
        lines.append(f"{day.isoformat()}  {_(WEEKDAYS[day.weekday()])}  {state}  ({source})")
    return lines
