"""Migration tests start from a database with no tables at all."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from storage.db import create_engine


@pytest.fixture
def empty_database_url(tmp_path: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url is None:
        return f"sqlite+aiosqlite:///{tmp_path / 'sub' / 'migrated.db'}"

    async def wipe() -> None:
        engine = create_engine(url)
        async with engine.begin() as connection:
            await connection.run_sync(SQLModel.metadata.drop_all)
            await connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        await engine.dispose()

    asyncio.run(wipe())
    return url
