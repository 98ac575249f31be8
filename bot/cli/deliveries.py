"""`deliveries list|show|run|pause|resume|cancel`: what the delivery engine sends, for operators."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Annotated, TypeVar

import typer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cli.common import database, settings_or_exit
from bot.i18n import cli_locale
from services.clock import utcnow
from services.config import Settings
from services.deliveries.control import Progress, cancel, pause, progress, resume
from services.errors import DomainError
from services.logs import configure_logging
from storage.deliveries import list_deliveries
from storage.delivery_models import Delivery

T = TypeVar("T")

deliveries_cli = typer.Typer(no_args_is_help=True, help="Deliveries: progress, pause, cancel.")
DeliveryId = Annotated[int, typer.Argument(help="The delivery's number (see `list`).")]


@deliveries_cli.command("list")
def list_command() -> None:
    """The latest deliveries, newest first, with how far each has got."""
    settings = settings_or_exit()
    with cli_locale(settings):
        for seen in asyncio.run(_latest(settings)):
            typer.echo(
                _("#{id} [{state}] {key}: {sent} sent, {left} left, from {when}").format(
                    id=seen.delivery.id,
                    state=seen.delivery.state,
                    key=seen.delivery.dedupe_key,
                    sent=seen.sent,
                    left=seen.left,
                    when=_when(settings, seen.delivery.not_before),
                )
            )


async def _latest(settings: Settings) -> list[Progress]:
    now = utcnow()
    async with database(settings) as sessionmaker, sessionmaker() as session:
        return [
            await progress(session=session, delivery_id=delivery.id, now=now)
            for delivery in await list_deliveries(session=session)
            if delivery.id is not None
        ]


@deliveries_cli.command("show")
def show(delivery_id: DeliveryId) -> None:
    """One delivery: its state, its counters and when it should finish."""
    settings = settings_or_exit()
    with cli_locale(settings):
        seen = _run(settings, lambda s: progress(session=s, delivery_id=delivery_id, now=utcnow()))
        d = seen.delivery
        typer.echo(
            _("#{id} {key} [{state}], priority {priority}, from {when}").format(
                id=d.id, key=d.dedupe_key, state=d.state, priority=d.priority,
                when=_when(settings, d.not_before),
            )
        )  # fmt: skip
        typer.echo(
            _(
                "Queued {queued}, sent {sent}, failed {failed}, unreachable {unreachable}, "
                "cancelled {cancelled}, left {left}; without an account {skipped}"
            ).format(
                queued=seen.queued, sent=seen.sent, failed=seen.failed,
                unreachable=seen.unreachable, cancelled=seen.cancelled, left=seen.left,
                skipped=d.skipped,
            )
        )  # fmt: skip
        finish = _when(settings, seen.finish_at) if seen.finish_at else "—"
        typer.echo(_("Estimated finish: {when}").format(when=finish))


@deliveries_cli.command("run")
def run_command(
    until_idle: Annotated[
        bool, typer.Option("--until-idle", help="Stop once nothing is due, instead of waiting.")
    ] = False,
) -> None:
    """Send due deliveries in this process, beside the bot's own sender, until stopped."""
    from bot.deliveries.process import run_sender

    settings = settings_or_exit()
    configure_logging(settings.log_level)
    asyncio.run(run_sender(settings, until_idle=until_idle))


@deliveries_cli.command("pause")
def pause_command(delivery_id: DeliveryId) -> None:
    """Stop claiming its rows; those being sent finish."""
    _change(lambda s: pause(session=s, delivery_id=delivery_id))


@deliveries_cli.command("resume")
def resume_command(delivery_id: DeliveryId) -> None:
    """Send a paused delivery again."""
    _change(lambda s: resume(session=s, delivery_id=delivery_id))


@deliveries_cli.command("cancel")
def cancel_command(delivery_id: DeliveryId) -> None:
    """Cancel every row not yet sent, at once."""
    _change(lambda s: cancel(session=s, delivery_id=delivery_id, now=utcnow()))


def _change(action: Callable[[AsyncSession], Awaitable[Delivery]]) -> None:
    settings = settings_or_exit()
    with cli_locale(settings):
        delivery = _run(settings, action, write=True)
        typer.echo(_("#{id} is now {state}.").format(id=delivery.id, state=delivery.state))


def _run(
    settings: Settings, action: Callable[[AsyncSession], Awaitable[T]], *, write: bool = False
) -> T:
    async def run() -> T:
        async with database(settings) as sessionmaker:
            if write:
                async with sessionmaker.begin() as session:
                    return await action(session)
            async with sessionmaker() as session:
                return await action(session)

    try:
        return asyncio.run(run())
    except DomainError as exc:
        typer.echo(_(exc.message).format(**exc.params), err=True)
        raise typer.Exit(1) from None


def _when(settings: Settings, moment: datetime) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
