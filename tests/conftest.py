"""Shared fixtures: a database per test (SQLite or TEST_DATABASE_URL), the app on a fake Bot API."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, create_async_engine
from sqlmodel import SQLModel

from bot.app import App, build_app
from services.config import Settings
from storage import (  # noqa: F401  (registers the tables)
    broadcasts,
    bulletin_assembly,
    bulletin_models,
    delivery_models,
    duty_models,
    feed_models,
    meeting_models,
    models,
    rota_models,
    score_post_models,
)
from storage.db import create_engine, create_sessionmaker
from tests.fakes import FakeSession
from tests.harness import Harness

ADMIN_ID = 900_001
LOCALES = Path(__file__).resolve().parent.parent / "locales"
TESTS = Path(__file__).resolve().parent
# Tests that measure time or start processes: `make test` runs them after the others, alone,
# so that the parallel run's load does not make their figures lie.
SERIAL = (
    "e2e/test_deliveries.py",
    "e2e/test_slow_update.py",
    "bot/test_budget.py",
    "bot/test_benchmarks.py",
    "bot/test_bench_activities.py",
    "emulator/test_updates.py",
    "services/roster/test_performance.py",
    "services/roster/test_preview_latency.py",
)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "serial: measures time; run alone, after the others")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        _own_services(worker)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        relative = item.path.relative_to(TESTS).as_posix()
        if any(relative == name or relative.startswith(name + "/") for name in SERIAL):
            item.add_marker(pytest.mark.serial)


def _own_services(worker: str) -> None:
    """Under pytest-xdist each worker gets a PostgreSQL database and a Redis database of its
    own (TEST_DATABASE_URL's name with the worker's suffix; the Redis index counted down from
    TEST_REDIS_URL's), so that workers never empty each other's tables."""
    number = int(worker.removeprefix("gw") or 0)
    database = os.environ.get("TEST_DATABASE_URL", "")
    if database.startswith("postgresql"):
        url = make_url(database)
        name = f"{url.database}_{worker}"
        asyncio.run(_create_database(url, name))
        os.environ["TEST_DATABASE_URL"] = url.set(database=name).render_as_string(
            hide_password=False
        )
    redis = os.environ.get("TEST_REDIS_URL", "")
    if redis:
        base, _, index = redis.rpartition("/")
        os.environ["TEST_REDIS_URL"] = f"{base}/{max(0, int(index or 0) - number)}"


async def _create_database(url: URL, name: str) -> None:
    server = create_async_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with server.connect() as connection:
            found = await connection.scalar(
                text("select 1 from pg_database where datname = :name"), {"name": name}
            )
            if not found:
                await connection.execute(text(f'create database "{name}"'))
    finally:
        await server.dispose()


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
