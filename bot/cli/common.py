"""What every command-line command needs: settings or a one-line error, and the database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import typer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.config import Settings, SettingsError, load_settings
from storage.db import create_engine, create_sessionmaker


def settings_or_exit(**overrides: object) -> Settings:
    try:
        return load_settings(**overrides)
    except SettingsError as exc:
        # Untranslated: without valid settings the language of the deployment is unknown.
        typer.echo(f"Configuration error — {exc}", err=True)
        raise typer.Exit(2) from None


@asynccontextmanager
async def database(settings: Settings) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_engine(
        settings.database_url, sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms
    )
    try:
        yield create_sessionmaker(engine)
    finally:
        await engine.dispose()
