"""Migrations build the schema from empty, and match the models exactly."""

from __future__ import annotations

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage.db import create_engine
from storage.migrate import downgrade, upgrade


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


def _schema(url: str) -> tuple[set[str], list[object]]:
    """The tables of the database and how they differ from the models."""

    async def read() -> tuple[set[str], list[object]]:
        engine = create_engine(url)
        async with engine.connect() as connection:
            tables = await connection.run_sync(_tables)
            diff = await connection.run_sync(_diff)
        await engine.dispose()
        return tables, diff

    return asyncio.run(read())


def test_upgrade_from_empty_then_no_autogenerate_difference(empty_database_url: str) -> None:
    # Alembic runs its own event loop, so this test is synchronous on purpose.
    upgrade(empty_database_url)
    tables, diff = _schema(empty_database_url)
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables
    assert diff == []


def test_downgrade_to_base_and_up_again(empty_database_url: str) -> None:
    upgrade(empty_database_url)
    downgrade(empty_database_url, "base")
    # Every downgrade drops what its upgrade made: no model table is left behind.
    tables, _diff = _schema(empty_database_url)
    assert tables & set(SQLModel.metadata.tables) == set()
    upgrade(empty_database_url)
    tables, diff = _schema(empty_database_url)
    assert set(SQLModel.metadata.tables) <= tables
    assert diff == []
