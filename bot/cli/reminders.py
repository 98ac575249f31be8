"""`python -m bot reminders missed [--days N]`: reminders that fell due while the bot was down
and were past their use when it came back, for staff to follow up by hand."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.clock import now
from services.config import Settings
from storage.rota import people_by_id
from storage.scheduling import missed_reminders

reminders_cli = typer.Typer(no_args_is_help=True, help="Reminders: what was missed.")
SHOWN = 500


@reminders_cli.command("missed")
def missed_command(
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="How far back.")] = 30,
) -> None:
    """Reminders recorded as missed in the last DAYS days, latest first: when each was due (local
    time), its kind, whom it was for and its key."""
    settings = settings_or_exit()
    with cli_locale(settings):
        lines = asyncio.run(_missed(settings, days))
        for line in lines or [
            _("No reminder was missed in the last {days} days.").format(days=days)
        ]:
            typer.echo(line)


async def _missed(settings: Settings, days: int) -> list[str]:
    async with database(settings) as sessionmaker, sessionmaker() as session:
        rows = await missed_reminders(
            session=session, due_since=now() - timedelta(days=days), limit=SHOWN
        )
        names = await people_by_id(session=session, ids=[p for r in rows for p in r.person_ids])
    lines = []
    for row in rows:
        who = "、".join(names.get(p, "?") for p in row.person_ids) or "—"
        due = row.due_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
        lines.append(f"{due}  {row.kind}  {who}  {row.dedupe_key}")
    return lines
