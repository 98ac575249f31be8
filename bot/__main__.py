"""Command line: `python -m bot` (also installed as `liaison-bot`)."""

from __future__ import annotations

import asyncio
import contextlib
from enum import StrEnum
from typing import Annotated

import typer

from bot.cli.activities import activities_cli
from bot.cli.admin import admin_cli
from bot.cli.bulletin import bulletin_cli
from bot.cli.calendar import calendar_cli
from bot.cli.common import settings_or_exit
from bot.cli.deliveries import deliveries_cli
from bot.cli.duty import duty_cli
from bot.cli.evaluation import evaluation
from bot.cli.invites import invites_cli
from bot.cli.record import record_cli
from bot.cli.reminders import reminders_cli
from bot.cli.report import report
from bot.cli.roster import roster_cli
from bot.demo.command import demo
from services.config import SettingsError
from services.logs import configure_logging

cli = typer.Typer(
    no_args_is_help=True, add_completion=False, help="代表联络助手 — Representative Liaison Bot"
)
db_cli = typer.Typer(no_args_is_help=True, help="Database schema.")
bench_cli = typer.Typer(no_args_is_help=True, help="Benchmarks; each prints a table of figures.")
cli.add_typer(db_cli, name="db")
cli.add_typer(bench_cli, name="bench")
cli.add_typer(admin_cli, name="admin")
cli.add_typer(invites_cli, name="invites")
cli.add_typer(roster_cli, name="roster")
cli.add_typer(activities_cli, name="activities")
cli.add_typer(record_cli, name="record")
cli.add_typer(deliveries_cli, name="deliveries")
cli.add_typer(bulletin_cli, name="bulletin")
cli.add_typer(calendar_cli, name="calendar")
cli.add_typer(duty_cli, name="duty")
cli.add_typer(reminders_cli, name="reminders")
cli.command("demo")(demo)
cli.command("report")(report)
cli.command("evaluation")(evaluation)


class Mode(StrEnum):
    polling = "polling"
    webhook = "webhook"


@cli.command()
def run(mode: Annotated[Mode, typer.Option(help="How updates arrive.")] = Mode.polling) -> None:
    """Apply migrations and run the bot."""
    settings = settings_or_exit()
    configure_logging(settings.log_level)
    if settings.bot_token is None and settings.telegram_api_url is None:
        # Nothing to talk to: the local demo instead (a chat on a terminal, else the tour).
        from bot.demo.runner import run_without_token

        raise typer.Exit(run_without_token())
    from bot.app import build_bot
    from bot.connection import first_contact
    from bot.runner import run_polling
    from bot.webhook import run_webhook
    from storage.migrate import upgrade

    if mode is Mode.webhook:
        try:
            settings.require_webhook()
        except SettingsError as exc:
            typer.echo(f"Configuration error — {exc}", err=True)
            raise typer.Exit(2) from None
    # First: a wrong address or a dead proxy ends the start in one line, not in retries.
    problem = asyncio.run(first_contact(build_bot(settings), settings))
    if problem is not None:
        typer.echo(problem, err=True)
        raise typer.Exit(1)
    upgrade(settings.database_url)
    asyncio.run(run_webhook(settings) if mode is Mode.webhook else run_polling(settings))


@cli.command()
def emulator(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8081,
) -> None:
    """Run the local Bot API emulator alone (for tests, the demo and benchmarks)."""
    from bot.emulator import serve

    configure_logging("INFO")
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(host, port))


@cli.command("seed-demo")
def seed_demo_command() -> None:
    """Load the demo roster (two delegations, four groups, a dozen people); link demo accounts."""
    from bot.cli.seed import run_seed_demo

    run_seed_demo(settings_or_exit())


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Bring the database schema up to date (DATABASE_URL)."""
    from storage.migrate import upgrade

    settings = settings_or_exit()
    upgrade(settings.database_url, revision)
    typer.echo(f"database at {revision}")


@bench_cli.command("updates")
def bench_updates(
    count: Annotated[int, typer.Option(min=10, help="Updates per side and round.")] = 2000,
    users: Annotated[int, typer.Option(min=1, help="Distinct users sending them.")] = 50,
    rounds: Annotated[int, typer.Option(min=1, help="Alternating rounds of each side.")] = 2,
    concurrency: Annotated[int, typer.Option(min=1, help="Updates handled at once.")] = 16,
    rate: Annotated[
        float, typer.Option(min=0, help="Offered rate (updates/s) for the latency phase; 0 skips.")
    ] = 100.0,
    offered: Annotated[int, typer.Option(min=0, help="Updates offered at that rate.")] = 1000,
    database_url: Annotated[
        str | None, typer.Option(help="Database to use; default a fresh SQLite file.")
    ] = None,
) -> None:
    """Bare aiogram and the app side by side: rate, ratio, redelivery, latency at a given rate."""
    from bot.benchmarks.updates import run_updates_bench
    from bot.serving import settle_heap

    settle_heap()  # as the bot does once it has started

    asyncio.run(
        run_updates_bench(
            count=count,
            users=users,
            rounds=rounds,
            concurrency=concurrency,
            rate=rate,
            offered=offered,
            database_url=database_url,
        )
    )


@bench_cli.command("crash")
def bench_crash(
    kills: Annotated[int, typer.Option(min=1, help="SIGKILLs during traffic.")] = 50,
    users: Annotated[int, typer.Option(min=1, help="Users writing meanwhile.")] = 20,
    rate: Annotated[float, typer.Option(min=1, help="Messages per second, all users.")] = 20.0,
    seed: Annotated[int, typer.Option(help="Seed of the moments of the kills.")] = 0,
    in_recovery: Annotated[
        bool, typer.Option(help="Kill while the bot still works through its backlog.")
    ] = False,
    database_url: Annotated[
        str | None, typer.Option(help="Database to use; default a fresh SQLite file.")
    ] = None,
) -> None:
    """The bot as a process, killed again and again while users write: answers sent twice."""
    from bot.benchmarks.crash import run_crash_bench

    asyncio.run(
        run_crash_bench(kills=kills, users=users, rate=rate, seed=seed, database_url=database_url)
    )


@bench_cli.command("delivery")
def bench_delivery(
    recipients: Annotated[int, typer.Option(min=2, help="Recipients per broadcast.")] = 3000,
    capacity_recipients: Annotated[
        int, typer.Option(min=2, help="Recipients of the capacity run (limits at 1000/s).")
    ] = 20_000,
    scenarios: Annotated[
        str, typer.Option(help="Comma-separated: clean, faults, kill, capacity.")
    ] = "clean,faults,kill,capacity",
    database_url: Annotated[
        str | None, typer.Option(help="Database to use; default a fresh SQLite file.")
    ] = None,
    api_url: Annotated[
        str | None,
        typer.Option(help="Another Bot API server (with the emulator's control API) to use."),
    ] = None,
) -> None:
    """The delivery engine against a Bot API server enforcing Telegram's limits: rate, lost,
    duplicated, and answers to people during a broadcast."""
    from bot.benchmarks.delivery import SCENARIOS, run_delivery_bench

    names = [name.strip() for name in scenarios.split(",") if name.strip()]
    unknown = sorted(set(names) - set(SCENARIOS))
    if unknown or not names:
        typer.echo(f"unknown scenarios: {', '.join(unknown) or '(none given)'}", err=True)
        raise typer.Exit(2)
    asyncio.run(
        run_delivery_bench(
            recipients=recipients,
            capacity_recipients=capacity_recipients,
            database_url=database_url,
            api_url=api_url,
            names=names,
        )
    )


@bench_cli.command("roster")
def bench_roster(
    rows: Annotated[int, typer.Option(min=10, help="Roster rows to generate and import.")] = 10_000,
) -> None:
    """Roster import: parse, first import and unchanged re-import of generated rows on SQLite."""
    from bot.benchmarks.roster import run_roster_bench
    from bot.serving import settle_heap

    settle_heap()  # as the bot does once it has started
    asyncio.run(run_roster_bench(rows=rows))


@bench_cli.command("activities")
def bench_activities(
    representatives: Annotated[int, typer.Option(min=1, help="Representatives seeded.")] = 1000,
    activities: Annotated[int, typer.Option(min=1, help="Activities, shared out.")] = 500_000,
    samples: Annotated[int, typer.Option(min=1, help="Timed updates per measure.")] = 500,
    record_samples: Annotated[int, typer.Option(min=1, help="Timed XLSX and PDF each.")] = 5,
) -> None:
    """/my on a large history, saving an activity, and a yearly record, on SQLite."""
    from bot.benchmarks.activities import run_activities_bench
    from bot.serving import settle_heap

    settle_heap()  # as the bot does once it has started
    asyncio.run(
        run_activities_bench(
            representatives=representatives,
            activities=activities,
            samples=samples,
            record_samples=record_samples,
        )
    )


@bench_cli.command("reminders")
def bench_reminders(
    representatives: Annotated[int, typer.Option(min=1, help="Representatives seeded.")] = 100_000,
    stations: Annotated[int, typer.Option(min=1, help="Liaison stations, one duty each.")] = 1000,
    idle_samples: Annotated[int, typer.Option(min=1, help="Idle ticks timed.")] = 500,
    database_url: Annotated[
        str | None, typer.Option(help="An empty database to use; default a fresh SQLite file.")
    ] = None,
) -> None:
    """Planning a reception day's duty reminders (due → deliveries queued) and idle ticks."""
    from bot.benchmarks.reminders import NotEmpty, run_reminders_bench

    try:
        asyncio.run(
            run_reminders_bench(
                representatives=representatives,
                stations=stations,
                idle_samples=idle_samples,
                database_url=database_url,
            )
        )
    except NotEmpty:
        typer.echo("The database given is not empty: give an empty one.", err=True)
        raise typer.Exit(2) from None


@bench_cli.command("reports")
def bench_reports(
    representatives: Annotated[int, typer.Option(min=10, help="Representatives seeded.")] = 10_000,
    activities: Annotated[int, typer.Option(min=1, help="Activities, shared out.")] = 1_000_000,
    concerns: Annotated[int, typer.Option(min=1, help="Concerns, shared out.")] = 100_000,
    delegations: Annotated[int, typer.Option(min=1, help="Delegations.")] = 20,
    samples: Annotated[int, typer.Option(min=1, help="Timed runs per measure.")] = 5,
    database_url: Annotated[
        str | None,
        typer.Option(help="An empty database to use (e.g. PostgreSQL); default a fresh SQLite."),
    ] = None,
) -> None:
    """A delegation's quarterly report on a large database: its tables, charts and workbook."""
    from bot.benchmarks.reports import run_reports_bench

    asyncio.run(
        run_reports_bench(
            representatives=representatives,
            activities=activities,
            concerns=concerns,
            delegations=delegations,
            samples=samples,
            database_url=database_url,
        )
    )


def main() -> None:
    cli(prog_name="liaison-bot")


if __name__ == "__main__":
    main()
