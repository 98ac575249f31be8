"""Fixtures of the polling, start-up and delivery tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_app
from services.config import Settings
from tests.bot.delivery_kit import Clock, FaultySession
from tests.bot.queue_api import Queued, QueueSession


@pytest.fixture
async def queued(settings: Settings, engine: AsyncEngine) -> AsyncIterator[Queued]:
    """The app on a getUpdates queue, with the same session middlewares as in production."""
    api = QueueSession()
    app = build_app(settings, bot_session=api)
    yield app, api
    await app.close()


@pytest.fixture
def api() -> FaultySession:
    """A Bot API that fails on demand, for the delivery sender."""
    return FaultySession()


@pytest.fixture
def clock() -> Clock:
    return Clock()
