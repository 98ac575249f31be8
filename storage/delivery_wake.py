"""Waking this process's sender as soon as a transaction that queued rows commits.

`note_queued` flags the session; when it commits, every callback registered with `on_queued`
runs (in the committing task's thread, which is the event loop's). On PostgreSQL the
transaction also sends NOTIFY, which the server delivers at its commit to every process that
listens (`listen_queued`): a sender in another process — beside webhook workers, or after
`python -m bot` queued something from the command line — starts at once instead of at its next
look (DELIVERY_POLL_SECONDS), which stays as the fallback (SQLite, a lost connection).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

_QUEUED = "delivery_rows_queued"
CHANNEL = "delivery_queued"
_listeners: set[Callable[[], None]] = set()


def note_queued(session: AsyncSession) -> None:
    """Rows became due in this transaction: wake the sender when it commits."""
    session.info[_QUEUED] = True


@contextmanager
def on_queued(callback: Callable[[], None]) -> Iterator[None]:
    """Call `callback` after each commit that queued rows, while inside."""
    _listeners.add(callback)
    try:
        yield
    finally:
        _listeners.discard(callback)


@asynccontextmanager
async def listen_queued(
    engine: AsyncEngine | None, callback: Callable[[], None]
) -> AsyncIterator[None]:
    """Call `callback` whenever any process commits queued rows, while inside; on PostgreSQL
    only (elsewhere, and if listening cannot start, nothing: the sender's polling finds them).
    Holds one connection of its own for as long."""
    if not isinstance(engine, AsyncEngine) or engine.dialect.name != "postgresql":
        yield
        return
    try:
        connection = await engine.connect()
    except Exception:  # the database is away: polling still finds the rows
        log.warning("not listening for queued deliveries; polling only", exc_info=True)
        yield
        return
    try:
        driver: Any = (await connection.get_raw_connection()).driver_connection
        await driver.add_listener(CHANNEL, _heard(callback))
    except Exception:
        log.warning("not listening for queued deliveries; polling only", exc_info=True)
        await connection.close()  # not kept out of the pool for nothing
        yield
        return
    try:
        yield
    finally:
        # Closing the connection ends the LISTEN; a broken one is discarded by the pool.
        await connection.close()


def _heard(callback: Callable[[], None]) -> Callable[..., None]:
    def heard(*_notification: object) -> None:
        callback()

    return heard


@event.listens_for(Session, "before_commit")
def _committing(session: Session) -> None:
    if session.info.get(_QUEUED) and session.get_bind().dialect.name == "postgresql":
        # Delivered when (and only if) this transaction commits.
        session.execute(text(f"NOTIFY {CHANNEL}"))


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_QUEUED, False):
        for callback in list(_listeners):
            callback()


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: object) -> None:
    session.info.pop(_QUEUED, None)
