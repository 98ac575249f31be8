"""The bot process against the emulator over HTTP, in polling and in webhook mode."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func
from sqlmodel import col, select

from services.invitations import issue_invitation
from storage.models import ProcessedUpdate
from storage.types import utcnow
from tests.e2e.conftest import BOT_ID, prepare_database
from tests.factories import add_delegation, add_representative

pytestmark = pytest.mark.e2e


async def _invited(database_url: str) -> str:
    engine, sessionmaker = await prepare_database(database_url)
    async with sessionmaker.begin() as session:
        delegation = await add_delegation(session)
        person = await add_representative(session, telegram_id=None, delegation=delegation)
        assert person.id is not None
        issued = await issue_invitation(
            session=session, person_id=person.id, actor_telegram_id=None, now=utcnow(), ttl_days=30
        )
    await engine.dispose()
    return issued.token


async def _say(bot: Any, user_id: int, text: str) -> str:
    bot.users.send_command(user_id, text) if text.startswith("/") else bot.users.send_message(
        user_id, text
    )
    reply = await bot.users.next_message(user_id, 20)
    return str(reply["text"])


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_invitation_greeting_help_and_language(bot_factory: Any, mode: str) -> None:
    bot = bot_factory(mode)
    token = await _invited(bot.database_url)
    await bot.start()
    bot.users.create_user("建国", user_id=930_001, language_code="zh")
    assert (await _say(bot, 930_001, f"/start {token}")).startswith("欢迎您，王建国！")
    assert (await _say(bot, 930_001, "/help")).startswith("您可以使用：")
    assert await _say(bot, 930_001, "/lang en") == "Language set: English."
    english_help = await _say(bot, 930_001, "/help")
    assert english_help.startswith("What you can use:")
    assert "/me — My profile and mandates" in english_help

    bot.users.create_user("Stranger", user_id=930_002, language_code="en")
    stranger = await _say(bot, 930_002, "hello")
    assert "ask your liaison office for an invitation link or code" in stranger
    assert await bot.stop() == 0
    if mode == "webhook":
        assert "webhook listening" in bot.log()


async def test_webhook_refuses_a_wrong_or_missing_secret(bot_factory: Any) -> None:
    bot = bot_factory("webhook")
    await _invited(bot.database_url)
    await bot.start()
    bot.users.create_user("Visitor", user_id=930_003, language_code="en")
    update = {
        "update_id": 999_001,
        "message": {
            "message_id": 1,
            "date": 1_700_000_000,
            "chat": {"id": 930_003, "type": "private", "first_name": "Visitor"},
            "from": {
                "id": 930_003,
                "is_bot": False,
                "first_name": "Visitor",
                "language_code": "en",
            },
            "text": "/help",
            "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
        },
    }
    async with httpx.AsyncClient() as client:
        missing = await client.post(bot.webhook_url, json=update)
        wrong = await client.post(
            bot.webhook_url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "x" * 32}
        )
        assert (missing.status_code, wrong.status_code) == (401, 401)
        assert bot.users.messages(930_003) == []
        assert await _handled(bot.database_url, 999_001) == 0
        right = await client.post(
            bot.webhook_url,
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": bot.webhook_secret},
        )
    assert right.status_code == 200
    assert "invitation" in str((await bot.users.next_message(930_003, 10))["text"])
    assert await _handled(bot.database_url, 999_001) == 1


async def _handled(database_url: str, update_id: int) -> int:
    engine, sessionmaker = await prepare_database(database_url)
    async with sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(ProcessedUpdate)
            .where(
                col(ProcessedUpdate.bot_id) == BOT_ID, col(ProcessedUpdate.update_id) == update_id
            )
        )
    await engine.dispose()
    return int(count or 0)
