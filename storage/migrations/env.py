"""Alembic environment: SQLModel metadata, async engine, batch mode on SQLite."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import storage.broadcasts  # (staff broadcasts, beside the delivery engine)
import storage.bulletin_assembly  # (which activities went into which issue)
import storage.bulletin_models  # (the bulletin's issues, articles and reads)
import storage.delivery_models  # (the delivery engine's outbox, kept in a module of its own)
import storage.duty_models  # (activities and concerns, kept in a module of their own)
import storage.feed_models  # (the bulletin feed watch, kept in a module of its own)
import storage.inbox  # (registers the polling inbox table, kept in its own module)
import storage.meeting_models  # (quarterly group meetings and their replies)
import storage.models  # (registers the tables on the metadata)
import storage.rota_models  # (stations' duty days and calendar overrides)
import storage.scheduling_models  # (reminder settings, missed reminders)
import storage.score_post_models  # noqa: F401  (the quarterly score post's drafts)
from storage.db import create_engine

config = context.config
target_metadata = SQLModel.metadata


def _url() -> str:
    url = config.attributes.get("database_url") or os.environ.get("DATABASE_URL")
    return str(url or "sqlite+aiosqlite:///data/liaison.db")


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        return
    engine = create_engine(_url())
    async with engine.connect() as async_connection:
        await async_connection.run_sync(_configure)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
