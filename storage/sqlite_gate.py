"""The queue of this process's SQLite writers (see storage.db for where it is used)."""

from __future__ import annotations

import asyncio
import weakref
from collections import deque

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only


def gate_of(engine: AsyncEngine, timeout: float) -> WriterGate:
    """The gate of an engine, made on first use."""
    gate = _gates.get(engine.sync_engine)
    if gate is None:
        gate = _gates[engine.sync_engine] = WriterGate(timeout)
    return gate


def writers_waiting(engine: AsyncEngine) -> int:
    """Write transactions of this process queued for SQLite's lock (0 on other databases)."""
    gate = _gates.get(engine.sync_engine)
    return gate.waiting if gate is not None else 0


class WriterGate:
    """Queues this process's SQLite writers in order, urgent ones first.

    Without it, writers that find the file locked sleep in SQLite's busy handler (1, 2, 5 … 100 ms)
    and retry, which under load costs more than the writes themselves. Urgent writers (see
    priority_write) are let in before the others waiting: they are short and someone is
    waiting on them.
    """

    def __init__(self, timeout: float) -> None:
        self._timeout = timeout
        self._held = False
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._normal: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        return sum(not turn.done() for turn in (*self._urgent, *self._normal))

    def enter(self, *, urgent: bool = False) -> None:
        await_only(self._acquire(urgent))

    async def _acquire(self, urgent: bool) -> None:
        if not self._held:
            self._held = True
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._urgent if urgent else self._normal).append(turn)
        try:
            async with asyncio.timeout(self._timeout):
                await turn
        except BaseException as exc:
            if turn.done() and not turn.cancelled():
                self.leave()  # handed over in the same instant: pass it on
            else:
                turn.cancel()
            if isinstance(exc, TimeoutError):
                raise OperationalError(
                    "BEGIN IMMEDIATE", None, Exception("database is locked")
                ) from None
            raise

    def leave(self) -> None:
        for queue in (self._urgent, self._normal):
            while queue:
                turn = queue.popleft()
                if not turn.done():
                    turn.set_result(None)  # the gate stays held, now by that writer
                    return
        self._held = False


_gates: weakref.WeakKeyDictionary[Engine, WriterGate] = weakref.WeakKeyDictionary()
