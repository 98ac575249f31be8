"""Engine and session factory, with the SQLite settings a concurrent bot needs."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import event
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.util import await_only

from storage.sqlite_driver import one_hop_creator

_WRITING = "sqlite_write_transaction"
_READS = {"SELECT", "PRAGMA"}

# The session of the update being handled, so that the FSM storage writes in the same
# transaction as the handler (see storage/fsm.py).
current_session: ContextVar[AsyncSession | None] = ContextVar("current_session", default=None)


@contextmanager
def bind_session(session: AsyncSession) -> Iterator[None]:
    token = current_session.set(session)
    try:
        yield
    finally:
        current_session.reset(token)


def create_engine(
    url: str, *, sqlite_busy_timeout_ms: int = 15000, echo: bool = False
) -> AsyncEngine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, busy_timeout_ms=sqlite_busy_timeout_ms, echo=echo)
    # hide_parameters: a traceback in the log must not carry names and phone numbers.
    return create_async_engine(url, echo=echo, pool_pre_ping=True, hide_parameters=True)


def _sqlite_engine(url: str, *, busy_timeout_ms: int, echo: bool) -> AsyncEngine:
    # Pooled: aiosqlite runs every connection in a thread of its own, so opening one per
    # checkout costs more than the query. Twenty covers polling concurrency plus FSM calls.
    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=20,
        max_overflow=10,
        hide_parameters=True,
        async_creator=one_hop_creator(url),
    )
    gate = _WriterGate(busy_timeout_ms / 1000)

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
    def _before_execute(connection: Any, cursor: Any, statement: str, *_args: Any) -> None:
        if connection.info.get(_WRITING) or statement.lstrip()[:6].upper() in _READS:
            return
        gate.enter()
        connection.info[_WRITING] = True
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except Exception:
            _end(connection.info)
            raise

    @event.listens_for(engine.sync_engine, "commit")
    @event.listens_for(engine.sync_engine, "rollback")
    def _after_transaction(connection: Any) -> None:
        _end(connection.info)

    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        _end(record.info)

    def _end(info: dict[str, Any]) -> None:
        if info.pop(_WRITING, None):
            gate.leave()

    return engine


class _WriterGate:
    """Queues this process's SQLite writers in order.

    Without it, writers that find the file locked sleep in SQLite's busy handler (1, 2, 5 … 100 ms)
    and retry, which under load costs more than the writes themselves.
    """

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._lock: asyncio.Lock | None = None

    def enter(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        try:
            await_only(asyncio.wait_for(self._lock.acquire(), self._timeout))
        except TimeoutError:
            raise OperationalError(
                "BEGIN IMMEDIATE", None, Exception("database is locked")
            ) from None

    def leave(self) -> None:
        if self._lock is not None and self._lock.locked():
            self._lock.release()


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
