"""`activities types`: the activity types and their points; `activities rescore --year Y`: give
a year's activities their types' current points (audited)."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.activities.points import list_types, rescore
from services.config import Settings

activities_cli = typer.Typer(
    no_args_is_help=True, help="Duty activities: types, points, rescoring."
)


@activities_cli.command("types")
def types() -> None:
    """List the activity types in use with their current points."""
    settings = settings_or_exit()
    with cli_locale(settings):
        for code, name_zh, name_en, points in asyncio.run(_types(settings)):
            typer.echo(
                _("{code}: {name_zh} / {name_en} — {points} points").format(
                    code=code, name_zh=name_zh, name_en=name_en, points=points
                )
            )


async def _types(settings: Settings) -> list[tuple[str, str, str, int]]:
    async with database(settings) as sessionmaker, sessionmaker() as session:
        return [
            (kind.code, kind.name_zh, kind.name_en, kind.points)
            for kind in await list_types(session=session)
        ]


@activities_cli.command("rescore")
def rescore_year(
    year: Annotated[
        int, typer.Option(min=1, max=9999, help="Activities that took place in this year.")
    ],
) -> None:
    """Give every activity of a year (deleted ones too) its type's current points."""
    settings = settings_or_exit()
    with cli_locale(settings):
        changed = asyncio.run(_rescore(settings, year))
        typer.echo(
            _("Rescored {year}: the points of {count} activities changed.").format(
                year=year, count=changed
            )
        )


async def _rescore(settings: Settings, year: int) -> int:
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        return await rescore(session=session, year=year, actor_telegram_id=None)
