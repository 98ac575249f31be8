"""Fixtures of the polling and start-up tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import build_app
from services.config import Settings
from tests.bot.queue_api import Queued, QueueSession


@pytest.fixture
async def queued(settings: Settings, engine: AsyncEngine) -> AsyncIterator[Queued]:
    """The app on a getUpdates queue, with the same session middlewares as in production."""
    api = QueueSession()
    app = build_app(settings, bot_session=api)
    yield app, api
    await app.close()
