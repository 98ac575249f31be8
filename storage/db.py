"""Engine and session factory, with the SQLite settings a concurrent bot needs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool


_WRITING = "sqlite_write_transaction"
_READS = {"SELECT", "PRAGMA"}


def create_engine(
    url: str, *, sqlite_busy_timeout_ms: int = 15000, echo: bool = False
) -> AsyncEngine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_timeout_ms=sqlite_busy_timeout_ms, echo=echo)
    return create_async_engine(url, echo=echo, pool_pre_ping=True)


def _sqlite_engine(url: str, *, busy_timeout_ms: int, echo: bool) -> AsyncEngine:
    # A file database gets a fresh connection per checkout: aiosqlite runs each connection in its
    # own thread, and pooled connections would keep WAL readers open across transactions.
    kwargs: dict[str, Any] = {} if ":memory:" in url else {"poolclass": NullPool}
    engine = create_async_engine(url, echo=echo, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN out of the driver's hands so that the hook below decides it.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in (
            "PRAGMA journal_mode=WAL",
            f"PRAGMA busy_timeout={int(busy_timeout_ms)}",
            "PRAGMA synchronous=NORMAL",
            "PRAGMA foreign_keys=ON",
        ):
            cursor.execute(pragma)
        cursor.close()

    # Reads run in autocommit and hold no lock, so a handler that waits on Telegram never blocks
    # other updates. The first write opens the transaction with BEGIN IMMEDIATE: a deferred
    # transaction upgraded to a writer fails at once with SQLITE_BUSY instead of waiting out
    # busy_timeout, while IMMEDIATE takes the write lock up front and makes writers queue.
    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _before_execute(
        connection: Any, cursor: Any, statement: str, *_args: Any
    ) -> None:
        if connection.info.get(_WRITING) or statement.lstrip()[:6].upper() in _READS:
            return
        cursor.execute("BEGIN IMMEDIATE")
        connection.info[_WRITING] = True

    @event.listens_for(engine.sync_engine, "commit")
    @event.listens_for(engine.sync_engine, "rollback")
    def _after_transaction(connection: Any) -> None:
        connection.info.pop(_WRITING, None)

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info.pop(_WRITING, None)

    return engine


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
