"""`seed-demo`: load the demo roster through the real importer and link the demo accounts.

Two representatives are left unlinked, with fresh invitations, so onboarding can be tried.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import typer
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.cli.common import database
from bot.i18n import cli_locale
from services.config import Settings
from services.duty.stations import StationChange, update_station
from services.i18n_marks import N_
from services.invitations import IssuedInvitation, issue_invitation
from services.roster import parse_roster
from services.roster.importer import ImportReport, import_roster, render_report
from storage.migrate import upgrade
from storage.models import Mandate, Person
from storage.types import utcnow
from storage.updates import prune_updates

# The demo roster ships with the terminal demo; this command is how the demo (and anyone) loads it.
ROSTER = Path(__file__).resolve().parent.parent / "demo" / "roster.csv"


@dataclass(frozen=True)
class DemoAccount:
    key: str  # 代表证号 or staff code in roster.csv
    telegram_id: int
    role: str  # an msgid: what the demo calls them; the roster decides their real role


# Telegram ids that the local Bot API emulator gives the demo users.
_REP = N_("representative")
ACCOUNTS = (
    DemoAccount("HA14-0101", 910_001, N_("group leader")),
    DemoAccount("HA14-0102", 910_002, N_("representative at two levels")),
    DemoAccount("HA14-0103", 910_003, _REP),
    DemoAccount("HA14-0104", 910_004, _REP),
    DemoAccount("HA14-0105", 910_005, _REP),
    DemoAccount("NY18-0201", 910_006, _REP),
    DemoAccount("NY18-0202", 910_007, _REP),
    DemoAccount("NY18-0203", 910_008, _REP),
    DemoAccount("STAFF-LY01", 910_011, N_("staff of 驻洛省十四届人大代表")),
    DemoAccount("STAFF-NY01", 910_012, N_("staff of 南阳市人大代表")),
    DemoAccount("ADMIN-01", 910_013, N_("admin")),
)
# Left unlinked so that accepting an invitation can be tried.
UNLINKED = ("HA14-0106", "NY18-0204")
# The address the duty reminders give, as `duty station NAME --address …` would set it; the
# station's location is shared from the chat (/duty), as the tour shows.
STATION_ADDRESSES = {"洛龙区关林街道代表联络站": "洛阳市洛龙区关林街道办事处一楼"}


@dataclass(frozen=True)
class DemoSeed:
    report: ImportReport
    linked: list[tuple[DemoAccount, str]]
    invitations: list[IssuedInvitation]


async def seed_demo(*, session: AsyncSession, settings: Settings) -> DemoSeed:
    parsed = parse_roster(ROSTER.read_bytes(), ROSTER.name)
    report = await import_roster(
        session=session,
        parsed=parsed,
        scope=None,
        actor_telegram_id=None,
        dry_run=False,
        skip_bad=False,
    )
    linked = []
    for account in ACCOUNTS:
        person = await _person(session, account.key)
        person.telegram_id = account.telegram_id
        session.add(person)
        linked.append((account, person.name))
    await session.flush()
    for station, address in STATION_ADDRESSES.items():
        await update_station(session=session, name=station, change=StationChange(address=address))
    invitations = []
    for key in UNLINKED:
        person = await _person(session, key)
        if person.telegram_id is None and person.id is not None:
            invitations.append(
                await issue_invitation(
                    session=session,
                    person_id=person.id,
                    actor_telegram_id=None,
                    now=utcnow(),
                    ttl_days=settings.invite_ttl_days,
                )
            )
    return DemoSeed(report=report, linked=linked, invitations=invitations)


async def _person(session: AsyncSession, key: str) -> Person:
    person = await session.scalar(select(Person).where(col(Person.staff_code) == key))
    if person is None:
        person = await session.scalar(
            select(Person)
            .join(Mandate, col(Mandate.person_id) == col(Person.id))
            .where(col(Mandate.roster_id) == key)
        )
    if person is None:
        raise LookupError(f"demo roster lacks {key}")
    return person


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


@dataclass(frozen=True)
class SeededAccount:
    """One demo account as the terminal demo needs it: plain data, no database objects."""

    name: str
    telegram_id: int | None  # None: on the roster, not linked yet
    role: str  # an msgid
    code: str | None = None  # the invitation code issued by this seed, if any


async def seed_accounts(settings: Settings) -> list[SeededAccount]:
    """Seed the demo roster (the schema must be up to date); everyone the demo can speak as.

    Each run of the demo has a new emulator numbering updates from 1; in a kept data folder the
    ids handled last time would make the bot skip the new updates as redeliveries, so they go.
    """
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        await prune_updates(session=session, older_than=utcnow())
        seeded = await seed_demo(session=session, settings=settings)
        accounts = [
            SeededAccount(name, account.telegram_id, account.role)
            for account, name in seeded.linked
        ]
        codes = {issued.person_id: issued.printed_code for issued in seeded.invitations}
        for key in UNLINKED:
            person = await _person(session, key)
            code = codes.get(person.id or 0)
            # With a kept data folder an earlier run may have linked them; then no code is issued.
            accounts.append(SeededAccount(person.name, person.telegram_id, _REP, code))
        return accounts
