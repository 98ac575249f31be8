"""Crossing off sent replies: many per write transaction, ahead of the other writers.

Between Telegram accepting a reply and its row's deletion, a crash sends that reply again on
restart (Telegram has no idempotency key), so this gap is kept short: rows sent while one deletion
commits are deleted together by the next, and on SQLite that transaction is let in before the
updates waiting for the write lock (storage.db.priority_write). The sender waits for its rows to
be crossed off before it counts them as done, so nothing is deferred past the update.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import priority_write
from storage.outbox import delete_replies

log = logging.getLogger(__name__)


class SentMarks:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        self._ids: list[int] = []
        self._batch: asyncio.Future[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        # Transactions committed, for tests and the benchmark: fewer than rows means batching.
        self.transactions = 0

    def cross_off(self, reply_id: int) -> asyncio.Future[None]:
        """Delete the row soon; the future is done once the deletion has committed."""
        self._ids.append(reply_id)
        if self._batch is None:
            self._batch = asyncio.get_running_loop().create_future()
        batch = self._batch
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return batch

    async def _write(self) -> None:
        while self._ids:
            ids, self._ids = self._ids, []
            batch, self._batch = self._batch, None
            try:
                async with priority_write(self._sessionmaker) as session:
                    await delete_replies(session=session, reply_ids=ids)
                self.transactions += 1
            except Exception:
                # The rows stay; the sweep sends them again: a duplicate rather than a loss.
                log.exception("could not cross off %d sent replies", len(ids))
            finally:
                if batch is not None and not batch.done():
                    batch.set_result(None)


_marks: weakref.WeakKeyDictionary[async_sessionmaker[AsyncSession], SentMarks] = (
    weakref.WeakKeyDictionary()
)


def sent_marks(sessionmaker: async_sessionmaker[AsyncSession]) -> SentMarks:
    """One per database, so that every sender's rows share the transactions."""
    marks = _marks.get(sessionmaker)
    if marks is None:
        marks = _marks[sessionmaker] = SentMarks(sessionmaker)
    return marks


async def all_crossed_off(batches: Iterable[asyncio.Future[None]]) -> None:
    for batch in set(batches):
        await asyncio.shield(batch)
