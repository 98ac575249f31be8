"""The bot with one extra command, for tests of slow updates: `/flood N` answers with N messages.

`python -m tests.e2e.flood_bot` runs exactly what `python -m bot run` runs in polling mode, with
the command registered on the Dispatcher itself, so it is tried before every feature router.
"""

from __future__ import annotations

import asyncio

from aiogram.filters import Command, CommandObject
from aiogram.types import Message

from bot.app import build_app
from bot.runner import poll
from services.config import Settings
from services.logs import configure_logging
from storage.migrate import upgrade


async def flood(message: Message, command: CommandObject) -> None:
    count = int(command.args or "1")
    for number in range(1, count + 1):
        await message.answer(f"flood {number}/{count}")


async def serve(settings: Settings) -> None:
    app = build_app(settings)
    app.dispatcher.message.register(flood, Command("flood"))
    await poll(app)


def main() -> None:
    settings = Settings()
    configure_logging(settings.log_level)
    upgrade(settings.database_url)
    asyncio.run(serve(settings))


if __name__ == "__main__":
    main()
