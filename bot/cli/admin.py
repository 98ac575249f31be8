"""`admin grant`: make a Telegram user staff (within delegations) or admin."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.config import Settings
from services.labels import ROLE_LABELS
from storage.audit import record_audit
from storage.models import StaffRole
from storage.staff import grant_staff_role

admin_cli = typer.Typer(no_args_is_help=True, help="Staff and admin roles.")


class GrantRole(StrEnum):
    staff = "staff"
    admin = "admin"


@admin_cli.command("grant")
def grant(
    telegram_id: Annotated[int, typer.Argument(help="The person's Telegram user id.")],
    role: Annotated[GrantRole, typer.Argument(help="staff or admin.")],
    scope: Annotated[
        list[str] | None, typer.Option("--scope", help="A delegation staff may act in (repeat).")
    ] = None,
) -> None:
    """Grant a role; staff without --scope act in every delegation."""
    settings = settings_or_exit()
    with cli_locale(settings):
        try:
            asyncio.run(grant_role(settings, telegram_id, StaffRole(role.value), scope or []))
        except LookupError as exc:
            typer.echo(_("Unknown delegation: {names}").format(names=exc.args[0]), err=True)
            raise typer.Exit(1) from None
        everywhere = role is GrantRole.admin or not scope
        where = _("all delegations") if everywhere else "、".join(scope or [])
        typer.echo(
            _("{user} is now {role} ({scope}).").format(
                user=telegram_id, role=_(ROLE_LABELS[role.value]), scope=where
            )
        )


async def grant_role(
    settings: Settings, telegram_id: int, role: StaffRole, scope: list[str]
) -> None:
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        await grant_staff_role(
            session=session, telegram_id=telegram_id, role=role, delegation_names=scope
        )
        await record_audit(
            session=session,
            actor_telegram_id=None,
            action="admin.grant",
            target=f"telegram:{telegram_id}",
            details={"role": role.value, "scope": scope},
        )
