"""SIGKILL and restart: the dialog continues, nothing saved is lost, every update answered once."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.emulator import FaultKind, FaultSettings
from storage.models import Person
from tests.e2e.conftest import ADMIN, BOT_ID, prepare_database
from tests.services.roster.builders import person, roster_csv

pytestmark = pytest.mark.e2e

ROSTER = roster_csv(
    *(
        person(f"代表{i:02d}", external_id=f"HA-{i}", delegation="驻洛省十四届人大代表")
        for i in range(12)
    )
)


async def _people(database_url: str) -> int:
    engine, sessionmaker = await prepare_database(database_url)
    async with sessionmaker() as session:
        count = await session.scalar(select(func.count()).select_from(Person))
    await engine.dispose()
    return int(count or 0)


async def _answers(
    bot: Any, user_ids: list[int], expected: int, seconds: float = 40
) -> dict[int, int]:
    """Wait until each user has `expected` answers, then a moment more for late duplicates."""
    async with asyncio.timeout(seconds):
        while any(len(bot.users.messages(u)) < expected for u in user_ids):
            await asyncio.sleep(0.1)
    await asyncio.sleep(1.0)
    return {u: len(bot.users.messages(u)) for u in user_ids}


async def test_kill_mid_dialog_and_with_updates_queued(bot_factory: Any) -> None:
    bot = bot_factory("polling")
    await prepare_database(bot.database_url)
    await bot.start()
    bot.users.create_user("韩立新", user_id=ADMIN, language_code="zh")
    bot.users.send_document(ADMIN, ROSTER, "名册.csv")
    preview = await bot.users.next_message(ADMIN, 20)
    assert "预览" in str(preview["text"])
    await asyncio.sleep(0.5)  # between two steps of the dialog, the moment a person pauses
    await bot.kill()

    # While the bot is down, people keep writing: Telegram queues their updates.
    strangers = [940_000 + i for i in range(5)]
    for user_id in strangers:
        bot.users.create_user(f"访客{user_id}", user_id=user_id, language_code="en")
        for text in ("hello", "are you there?", "/help"):
            bot.users.send_message(user_id, text) if not text.startswith(
                "/"
            ) else bot.users.send_command(user_id, text)
    await bot.start()

    # The preview's dialog state lived in the database: its button still works.
    bot.users.press_button(ADMIN, int(preview["message_id"]), text="导入")
    done = await bot.users.next_message(ADMIN, 20)
    assert str(done["text"]).startswith("已导入 名册.csv。")
    assert await _people(bot.database_url) == 12
    assert await _answers(bot, strangers, 3) == dict.fromkeys(strangers, 3)


async def test_kill_while_answers_are_stuck_in_flight(bot_factory: Any) -> None:
    """Telegram stops answering sendMessage; the bot dies with updates handled, half-handled
    and not yet fetched. After the restart each update is answered exactly once."""
    bot = bot_factory("polling")
    await prepare_database(bot.database_url)
    await bot.start()
    state = bot.emulator.state
    state.faults.configure(
        FaultSettings(
            share=1.0,
            kinds=(FaultKind.TIMEOUT,),
            methods=frozenset({"sendmessage"}),
            timeout_delay=60.0,
            timeout_delivers=False,
        )
    )
    users = [950_000 + i for i in range(8)]
    for user_id in users:
        bot.users.create_user(f"访客{user_id}", user_id=user_id, language_code="en")
    for round_ in range(4):
        for user_id in users:
            bot.users.send_message(user_id, f"message {round_}")
    async with asyncio.timeout(20):
        while state.bot(BOT_ID).method_calls["sendMessage"] < 8:
            await asyncio.sleep(0.01)
    await bot.kill()
    assert all(bot.users.messages(u) == [] for u in users)
    state.faults.configure(FaultSettings())
    await bot.start()
    assert await _answers(bot, users, 4) == dict.fromkeys(users, 4)
