"""The demo's people, from a freshly seeded database: accounts, the two unlinked, a stranger."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.cli.common import database
from bot.demo.people import STRANGER_ID, STRANGER_NAME, UNLINKED_IDS, DemoUser
from bot.demo.seed import UNLINKED, DemoSeed, seed_demo
from bot.i18n import cli_locale
from services.config import Settings
from storage.models import Mandate, Person
from storage.types import utcnow
from storage.updates import prune_updates


async def seed_cast(settings: Settings) -> list[DemoUser]:
    """Seed the demo roster (the schema must be up to date) and say who is who."""
    async with database(settings) as sessionmaker, sessionmaker.begin() as session:
        # Each run has a new emulator numbering updates from 1; in a kept --data folder the
        # ids handled last time would make the bot skip the new updates as redeliveries.
        await prune_updates(session=session, older_than=utcnow())
        seeded = await seed_demo(session=session, settings=settings)
        return await load_cast(session=session, seeded=seeded, settings=settings)


async def load_cast(
    *, session: AsyncSession, seeded: DemoSeed, settings: Settings
) -> list[DemoUser]:
    """Everyone, in the order `:users` lists them; codes are those the seed just issued."""
    with cli_locale(settings, "zh"):
        cast = [
            DemoUser(name, account.telegram_id, _label(account.role))
            for account, name in seeded.linked
        ]
        codes = {issued.person_id: issued.printed_code for issued in seeded.invitations}
        for key, telegram_id in zip(UNLINKED, UNLINKED_IDS, strict=True):
            person = await session.scalar(
                select(Person)
                .join(Mandate, col(Mandate.person_id) == col(Person.id))
                .where(col(Mandate.roster_id) == key)
            )
            if person is None:
                continue
            code = codes.get(person.id or 0)
            # With --data an earlier run may have linked them already; then no code is issued.
            role = "未绑定 not linked yet" if code else _label("representative")
            cast.append(DemoUser(person.name, person.telegram_id or telegram_id, role, code))
        cast.append(DemoUser(STRANGER_NAME, STRANGER_ID, _label("not on the roster")))
    return cast


def _label(msgid: str) -> str:
    translated = _(msgid)
    return translated if translated == msgid else f"{translated} {msgid}"
