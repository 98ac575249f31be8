"""Waking this process's sender as soon as a transaction that queued rows commits.

`note_queued` flags the session; when it commits, every callback registered with `on_queued`
runs (in the committing task's thread, which is the event loop's). Other processes' senders are
not woken: they find the rows at their next look (DELIVERY_POLL_SECONDS).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

_QUEUED = "delivery_rows_queued"
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


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    if session.info.pop(_QUEUED, False):
        for callback in list(_listeners):
            callback()


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous: object) -> None:
    session.info.pop(_QUEUED, None)
