"""Engine and session factory, with the SQLite settings a concurrent bot needs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import CursorResult, event
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.sqlite_driver import OneHopConnection, one_hop_creator
from storage.sqlite_gate import gate_of

_WRITING = "sqlite_write_transaction"
_URGENT = "sqlite_urgent_writer"
_LAST_USED = "last_used"
# Connections kept open at least: the updates handled at once (POLLING_CONCURRENCY, 16 by
# default) plus the short writes that cross sent answers off; the overflow serves bursts.
POOL_SIZE = 20
POOL_OVERFLOW = 10
# Seconds a pooled connection may sit unused before it is pinged on checkout.
PING_AFTER_IDLE = 1.0
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


async def execute_and_commit(connection: AsyncConnection, statement: Any, params: Any) -> None:
    """Run the transaction's last statement and, on SQLite, its COMMIT in the same trip to the
    driver's thread: the write lock is held for one trip less. The caller's commit follows at
    once and then has nothing left to send. Elsewhere the statement runs as usual."""
    driver = await one_hop(connection)
    if driver is not None:
        await _then_commit(driver, connection, statement, params, then=())
    else:
        await connection.execute(statement, params)


async def one_hop(connection: AsyncConnection) -> OneHopConnection | None:
    """The project's SQLite driver connection under `connection`; None on any other database."""
    driver = (await connection.get_raw_connection()).driver_connection
    return driver if isinstance(driver, OneHopConnection) else None


async def execute_then_commit(
    connection: AsyncConnection,
    statement: Any,
    params: Any,
    *,
    then: Sequence[tuple[str, Sequence[Any]]],
) -> CursorResult[Any]:
    """SQLite only: the statement, then `then` (plain SQL with positional parameters), then
    COMMIT, in one trip to the driver's thread (with BEGIN IMMEDIATE in front when this is the
    transaction's first write: the whole transaction). The statement must run as one execute."""
    driver = await one_hop(connection)
    if driver is None:
        raise TypeError("execute_then_commit needs the SQLite driver of storage.sqlite_driver")
    return await _then_commit(driver, connection, statement, params, then=then)


async def _then_commit(
    driver: OneHopConnection,
    connection: AsyncConnection,
    statement: Any,
    params: Any,
    *,
    then: Sequence[tuple[str, Sequence[Any]]],
) -> CursorResult[Any]:
    driver.suffix = [*then, ("COMMIT", ())]
    try:
        result: CursorResult[Any] = await connection.execute(statement, params)
        return result
    finally:
        driver.suffix = None


@asynccontextmanager
async def priority_write(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A short write that SQLite's writers of this process let go first: one statement.

    For bookkeeping that someone waits on and that must not sit behind the updates queued for
    the write lock (crossing off sent replies: until then a crash sends them again). A bare
    connection, without a session: it runs after every answer sent.
    """
    async with engine.connect() as connection:
        if engine.dialect.name != "sqlite":
            # No writer queue to jump there; each statement commits on its own, which spares
            # the round trips of BEGIN and COMMIT (callers run a single statement).
            yield await connection.execution_options(isolation_level="AUTOCOMMIT")
            return
        connection.info[_URGENT] = True
        try:
            async with connection.begin():
                yield connection
        finally:
            connection.info.pop(_URGENT, None)


def create_engine(
    url: str,
    *,
    sqlite_busy_timeout_ms: int = 15000,
    echo: bool = False,
    concurrency: int = 16,
) -> AsyncEngine:
    """`concurrency`: the updates handled at once (POLLING_CONCURRENCY); the pool keeps a
    connection for each, and POOL_SIZE at least."""
    pool_size = max(POOL_SIZE, concurrency + 4)
    if url.startswith("sqlite"):
        return _sqlite_engine(
            url, busy_timeout_ms=sqlite_busy_timeout_ms, echo=echo, pool_size=pool_size
        )
    # hide_parameters: a traceback in the log must not carry names and phone numbers.
    # The pool holds as many connections as updates are handled at once, and then some: with
    # fewer, every update past the fifth opened a connection of its own (TCP, authentication,
    # the driver's type queries) and closed it on return — most of an update's cost.
    engine = create_async_engine(
        url, echo=echo, hide_parameters=True, pool_size=pool_size, max_overflow=POOL_OVERFLOW
    )
    _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """pool_pre_ping, but only for a connection idle a while: under load every checkout would
    otherwise cost a round trip, for connections used a moment ago. One that has sat idle (the
    server may have restarted, a firewall dropped it) is pinged, and replaced if dead."""

    @event.listens_for(engine.sync_engine.pool, "connect")
    @event.listens_for(engine.sync_engine.pool, "checkin")
    def _used(_dbapi_connection: Any, record: Any) -> None:
        record.info[_LAST_USED] = time.monotonic()

    @event.listens_for(engine.sync_engine.pool, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(_LAST_USED, 0.0) < PING_AFTER_IDLE:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        except Exception as exc:
            # The pool drops this connection and checks out another.
            raise DisconnectionError() from exc


def _sqlite_engine(url: str, *, busy_timeout_ms: int, echo: bool, pool_size: int) -> AsyncEngine:
    # Pooled: aiosqlite runs every connection in a thread of its own, so opening one per
    # checkout costs more than the query.
    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=pool_size,
        max_overflow=POOL_OVERFLOW,
        hide_parameters=True,
        async_creator=one_hop_creator(url),
    )
    gate = gate_of(engine, busy_timeout_ms / 1000)

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
        gate.enter(urgent=bool(connection.info.get(_URGENT)))
        connection.info[_WRITING] = True
        driver = connection.connection.driver_connection
        if isinstance(driver, OneHopConnection):
            # Sent along with the statement: one trip to the driver's thread instead of two.
            # Should BEGIN fail, the statement fails with it and the rollback frees the gate.
            driver.prefix = "BEGIN IMMEDIATE"
            return
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


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)
