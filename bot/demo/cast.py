"""The demo's people, from a freshly seeded database: accounts, the two unlinked, a stranger."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.cli.seed import SeededAccount, seed_accounts
from bot.demo.people import STRANGER_ID, STRANGER_NAME, UNLINKED_IDS, DemoUser
from bot.i18n import cli_locale
from services.config import Settings


async def seed_cast(settings: Settings) -> list[DemoUser]:
    """Seed the demo roster through `seed-demo` and say who is who."""
    return cast_of(await seed_accounts(settings), settings)


def cast_of(accounts: list[SeededAccount], settings: Settings) -> list[DemoUser]:
    """Everyone, in the order `:users` lists them; codes are those the seed just issued."""
    with cli_locale(settings, "zh"):
        cast = [
            DemoUser(account.name, account.telegram_id, _label(account.role))
            for account in accounts
            if account.telegram_id is not None and account.code is None
        ]
        unlinked = [a for a in accounts if a.code is not None or a.telegram_id is None]
        for account, telegram_id in zip(unlinked, UNLINKED_IDS, strict=False):
            role = "未绑定 not linked yet" if account.code else _label(account.role)
            cast.append(
                DemoUser(account.name, account.telegram_id or telegram_id, role, account.code)
            )
        cast.append(DemoUser(STRANGER_NAME, STRANGER_ID, _label("not on the roster")))
    return cast


def _label(msgid: str) -> str:
    translated = _(msgid)
    return translated if translated == msgid else f"{translated} {msgid}"
