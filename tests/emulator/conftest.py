from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.emulator import Emulator, EmulatorSettings, RateLimits
from tests.emulator.helpers import BotApi


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    """A running emulator with flood limits off, for tests that do not study them."""
    settings = EmulatorSettings(limits=RateLimits(enabled=False))
    async with Emulator(settings=settings) as running:
        yield running


@pytest.fixture
async def http(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=emulator.base_url, timeout=10) as client:
        yield client


@pytest.fixture
def api(http: httpx.AsyncClient, emulator: Emulator) -> BotApi:
    return BotApi(http, emulator.token)


@pytest.fixture
def emulator_user(emulator: Emulator) -> int:
    """The id of a user (and of their private chat with the bot)."""
    return int(emulator.users.create_user("Alice", username="alice", language_code="zh")["id"])
