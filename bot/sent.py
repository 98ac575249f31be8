"""Crossing off sent replies: at once in a journal file, then many rows per write transaction.

Between Telegram accepting a reply and its row's deletion, a crash sends that reply again on
restart (Telegram has no idempotency key), so this gap is kept short. On SQLite the reply is
listed in the journal beside the database (storage.sent_journal) the moment Telegram accepts
it: no lock, no trip to the driver's thread. Rows are then deleted in batches — those sent
while one deletion commits go together in the next — and that transaction is let in before the
updates waiting for the write lock (storage.db.priority_write), which on PostgreSQL, with no
journal, is what keeps the gap short. The sender waits for its rows to be deleted before it
counts them as done, so nothing is deferred past the update.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import priority_write
from storage.models import PendingReply
from storage.outbox import delete_replies, saved_reply_keys
from storage.sent_journal import SentJournal

log = logging.getLogger(__name__)
# A journal this long is compacted by the maintenance round (some 50,000 replies).
COMPACT_AT = 1 << 20


class SentMarks:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self.journal = SentJournal.beside(engine.url)
        self._ids: list[int] = []
        self._batch: asyncio.Future[None] | None = None
        self._writer: asyncio.Task[None] | None = None
        # Deletions that failed: their rows stay saved and listed in the journal.
        self.failures = 0

    def cross_off(self, row: PendingReply, *, sent: bool = True) -> asyncio.Future[None]:
        """Delete the row soon; the future is done once the deletion has committed.

        `sent=False`: a row found in the journal, already recorded there.
        """
        if sent and self.journal is not None:
            self.journal.record([row])
        self._ids.append(row.id or 0)
        if self._batch is None:
            self._batch = asyncio.get_running_loop().create_future()
        batch = self._batch
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write())
        return batch

    async def compact(self, sessionmaker: async_sessionmaker[AsyncSession]) -> bool:
        """Past COMPACT_AT bytes, the journal keeps only the rows still saved (those being
        deleted now, or whose deletion failed); every other line stands for a row gone. Returns
        whether it was compacted."""
        journal = self.journal
        if journal is None or journal.size() < COMPACT_AT:
            return False
        listed, end = await asyncio.to_thread(journal.read_from, 0)
        async with sessionmaker() as session:
            saved = await saved_reply_keys(session=session)
        # From here to the rename nothing is awaited, so nothing this process sends is recorded
        # in between: what was appended meanwhile is read now and kept whole.
        appended, _end = journal.read_from(end)
        journal.replace((listed & saved) | appended)
        return True

    async def _write(self) -> None:
        while self._ids:
            ids, self._ids = self._ids, []
            batch, self._batch = self._batch, None
            try:
                async with priority_write(self._engine) as connection:
                    await delete_replies(connection=connection, reply_ids=ids)
            except Exception:
                # The rows stay, and the journal still lists them (see settle_journal); should it
                # be lost too, the sweep sends them again: a duplicate rather than a loss.
                self.failures += 1
                log.exception("could not cross off %d sent replies", len(ids))
            finally:
                if batch is not None and not batch.done():
                    batch.set_result(None)


_marks: weakref.WeakKeyDictionary[AsyncEngine, SentMarks] = weakref.WeakKeyDictionary()


def sent_marks(sessionmaker: async_sessionmaker[AsyncSession]) -> SentMarks:
    """One per database, so that every sender's rows share the transactions."""
    engine = sessionmaker.kw["bind"]
    marks = _marks.get(engine)
    if marks is None:
        marks = _marks[engine] = SentMarks(engine)
    return marks


async def all_crossed_off(batches: Iterable[asyncio.Future[None]]) -> None:
    for batch in set(batches):
        await asyncio.shield(batch)
