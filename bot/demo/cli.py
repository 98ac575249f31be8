"""Printing what `seed-demo` did, in the deployment's language."""

from __future__ import annotations

import asyncio

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database
from bot.demo.seed import DemoSeed, seed_demo
from bot.i18n import cli_locale
from services.config import Settings
from services.roster.importer import render_report
from storage.migrate import upgrade


def run_seed_demo(settings: Settings) -> None:
    upgrade(settings.database_url)
    seeded = asyncio.run(_seed(settings))
    username = settings.bot_username or "liaison_bot"
    with cli_locale(settings):
        for line in render_report(seeded.report):
            typer.echo(line)
        typer.echo(_("Demo accounts (Telegram id — name — role):"))
        for account, name in seeded.linked:
            typer.echo(f"  {account.telegram_id} — {name} — {_(account.role)}")
        typer.echo(_("Not yet linked, with an invitation each:"))
        for issued in seeded.invitations:
            typer.echo(f"  {issued.name}: {issued.printed_code}  {issued.link(username)}")


async def _seed(settings: Settings) -> DemoSeed:
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        return await seed_demo(session=session, settings=settings)
