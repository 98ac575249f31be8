"""Shared fixtures: a database per test (SQLite or TEST_DATABASE_URL), the app on a fake Bot API."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import SQLModel

from bot.app import App, build_app
from services.config import Settings
from storage import (  # noqa: F401  (registers the tables)
    broadcasts,
    bulletin_models,
    delivery_models,
    duty_models,
    feed_models,
    meeting_models,
    models,
    rota_models,
)
from storage.db import create_engine, create_sessionmaker
from tests.fakes import FakeSession
from tests.harness import Harness

ADMIN_ID = 900_001
LOCALES = Path(__file__).resolve().parent.parent / "locales"


@pytest.fixture(scope="session", autouse=True)
def compiled_translations() -> None:
    """Compiled catalogues are build output; make them if `make` has not."""
    for po_path in LOCALES.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as source:
            catalog = read_po(source)
        with mo_path.open("wb") as target:
            write_mo(target, catalog)


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.drop_all)
        await connection.run_sync(SQLModel.metadata.create_all)
    yield engine
    await engine.dispose()


@pytest.fixture
async def session(engine: AsyncEngine) -> AsyncIterator[AsyncSession]:
    async with create_sessionmaker(engine)() as session:
        yield session


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        redis_url=os.environ.get("TEST_REDIS_URL"),
        admin_ids=frozenset({ADMIN_ID}),
        # The fake Bot API has no flood limits; tests that study the budget set their own.
        send_rate=1000,
        delivery_rate=1000,
        chat_rate_per_second=1000,
        chat_burst=1000,
        group_rate_per_minute=60000,
    )


@pytest.fixture
async def app(settings: Settings, engine: AsyncEngine) -> AsyncIterator[App]:
    app = build_app(settings, bot_session=FakeSession())
    yield app
    if settings.redis_url:
        await app.dispatcher.storage.redis.flushdb()  # type: ignore[attr-defined]
    await app.close()


@pytest.fixture
def tg(app: App) -> Harness:
    return Harness(app)
