"""`admin grant`: make a Telegram user staff (within delegations) or admin; `admin duplicates`
and `admin merge`: one person entered in two delegations becomes one entry with both mandates."""

from __future__ import annotations

import asyncio
from enum import StrEnum
from typing import Annotated

import typer
from aiogram.utils.i18n import gettext as _

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.clock import utcnow
from services.config import Settings
from services.errors import DomainError
from services.labels import ROLE_LABELS
from services.merge import Candidate, find_duplicates, merge_people
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


@admin_cli.command("duplicates")
def duplicates() -> None:
    """List people with the same name and phone, possibly one person entered twice."""
    settings = settings_or_exit()
    with cli_locale(settings):
        groups = asyncio.run(_duplicates(settings))
        if not groups:
            typer.echo(_("No possible duplicates: no two entries share a name and a phone."))
            return
        for group in groups:
            typer.echo(f"{group[0].name} · {group[0].phone}")
            for candidate in group:
                linked = _("linked") if candidate.linked else _("not linked")
                where = "、".join(candidate.delegations) or _("no mandate")
                typer.echo(f"  {candidate.person_id} — {where} — {linked}")
        typer.echo(_("Merge two of them with: admin merge KEEP_ID OTHER_ID"))


async def _duplicates(settings: Settings) -> list[list[Candidate]]:
    async with database(settings) as sessionmaker, sessionmaker() as session:
        return await find_duplicates(session=session)


@admin_cli.command("merge")
def merge(
    keep_id: Annotated[int, typer.Argument(help="The entry that stays.")],
    other_id: Annotated[int, typer.Argument(help="The entry merged into it, then deleted.")],
) -> None:
    """Merge two roster entries of one person: mandates, staff role, invitations and account."""
    settings = settings_or_exit()
    with cli_locale(settings):
        try:
            moved = asyncio.run(_merge(settings, keep_id, other_id))
        except DomainError as exc:
            typer.echo(_(exc.message).format(**exc.params), err=True)
            raise typer.Exit(1) from None
        typer.echo(
            _("Merged {other} into {keep}: {mandates} mandate(s) moved.").format(
                other=other_id, keep=keep_id, mandates=moved["mandates"]
            )
        )


async def _merge(settings: Settings, keep_id: int, other_id: int) -> dict[str, int]:
    # One transaction: a refusal or a failure half-way leaves both entries as they were.
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        return await merge_people(
            session=session,
            keep_id=keep_id,
            other_id=other_id,
            actor_telegram_id=None,
            now=utcnow(),
        )
