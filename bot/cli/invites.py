"""`python -m bot invites export`: invitations for everyone not yet linked, as a file to print."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.config import Settings
from services.files import Cell, write_csv, write_xlsx
from services.invitations import IssuedInvitation, issue_for_unbound, qr_file_stems, qr_png
from storage.audit import record_audit

invites_cli = typer.Typer(no_args_is_help=True, help="Invitations for the roster.")


@invites_cli.command("export")
def export(
    out: Annotated[
        Path, typer.Option(help="Spreadsheet to write; a .csv name writes CSV, else XLSX.")
    ] = Path("invitations.xlsx"),
    qr_dir: Annotated[
        Path | None, typer.Option(help="Folder for one QR code image per person.")
    ] = None,
) -> None:
    """Issue fresh invitations to everyone not yet linked and write them to a file.

    Earlier unused invitations of those people stop working.
    """
    settings = settings_or_exit()
    with cli_locale(settings):
        username = settings.bot_username or asyncio.run(resolve_bot_username(settings))
        if username is None:
            typer.echo(
                _(
                    "The bot's username is unknown: set BOT_USERNAME in .env "
                    "(or BOT_TOKEN, to ask Telegram)."
                ),
                err=True,
            )
            raise typer.Exit(2)
        count = asyncio.run(export_invitations(settings, out, qr_dir, username))
        summary = _("Invitations written: {count}, to {file}.").format(count=count, file=out)
        if qr_dir is not None:
            summary += " " + _("QR codes: {folder}.").format(folder=qr_dir)
        typer.echo(summary)


async def resolve_bot_username(
    settings: Settings, *, bot_session: BaseSession | None = None
) -> str | None:
    """The username from getMe, or None without a token and API server, or when it fails."""
    if settings.bot_token is None and settings.telegram_api_url is None:
        return None
    from bot.app import build_bot  # the app factory pulls in every handler; only needed here

    bot = build_bot(settings, session=bot_session)
    try:
        me = await bot.get_me()
    except (TelegramAPIError, TelegramNetworkError):
        return None
    finally:
        await bot.session.close()
    return me.username


async def export_invitations(
    settings: Settings, out: Path, qr_dir: Path | None, bot_username: str
) -> int:
    """Issues invitations to everyone unlinked, writes ``out`` (and QR images); returns how many.

    The spreadsheet is written under a temporary name before the commit and renamed after it:
    if writing fails, nothing is revoked and the links people hold keep working; if the commit
    fails, no file of dead links is left and an earlier export stays as it was. QR images are
    drawn after the commit, as drawing a thousand takes seconds, too long to hold SQLite's write
    lock while the bot runs; should that fail, the spreadsheet already has every link.
    """
    # Folders first: a path that cannot be a folder fails before anything is issued.
    _make_folders(out.parent, qr_dir)
    part = out.with_name(out.name + ".part")
    try:
        async with database(settings) as sessionmaker, sessionmaker() as session:
            issued = await issue_for_unbound(
                session=session,
                scope=None,
                actor_telegram_id=None,
                now=datetime.now(UTC),
                ttl_days=settings.invite_ttl_days,
            )
            part.write_bytes(_spreadsheet(settings, issued, out, bot_username))
            await record_audit(
                session=session,
                actor_telegram_id=None,
                action="invite.export",
                details={"count": len(issued), "file": out.name},
            )
            await session.commit()
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(out)
    if qr_dir is not None:
        _write_qr_images(issued, qr_dir, bot_username)
    return len(issued)


def _make_folders(*folders: Path | None) -> None:
    for folder in folders:
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)


def _write_qr_images(issued: list[IssuedInvitation], qr_dir: Path, bot_username: str) -> None:
    for item, stem in zip(issued, qr_file_stems(issued), strict=True):
        (qr_dir / f"{stem}.png").write_bytes(qr_png(item.link(bot_username)))


def _spreadsheet(
    settings: Settings, issued: list[IssuedInvitation], out: Path, bot_username: str
) -> bytes:
    with cli_locale(settings):
        headers = [
            _("Name"),
            _("Delegation"),
            _("Invitation link"),
            _("Invitation code"),
            _("Valid until"),
        ]
        title = _("Invitations")
    rows: list[list[Cell]] = [
        [
            item.name,
            item.delegation,
            item.link(bot_username),
            item.printed_code,
            item.expires_at.astimezone(settings.tz).date(),
        ]
        for item in issued
    ]
    if out.suffix.lower() == ".csv":
        return write_csv(headers, rows)
    return write_xlsx(headers, rows, title=title)
