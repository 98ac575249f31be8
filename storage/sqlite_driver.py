"""aiosqlite with one trip to its worker thread per statement instead of four.

aiosqlite runs each call on the connection's own thread and SQLAlchemy's adapter makes four such
calls per statement (open a cursor, execute, fetch, close). Each trip is a queue hand-off and a
wake-up of the event loop, which cost more than a small query itself. Here the cursor does all
four in one trip and keeps the rows; everything else is aiosqlite's own.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from functools import partial
from typing import Any

import aiosqlite
from sqlalchemy.engine import make_url

_Description = tuple[tuple[str, None, None, None, None, None, None], ...] | None
_Outcome = tuple[_Description, int, int | None, list[Any]]


class OneHopConnection(aiosqlite.Connection):
    # A statement to run first, in the same trip as the next one (storage.db's BEGIN IMMEDIATE).
    prefix: str | None = None
    # Statements with their parameters (the handled mark, COMMIT) to run right after the next
    # statement, in the same trip (storage.db.execute_then_commit).
    suffix: Sequence[tuple[str, Sequence[Any]]] | None = None
    # Whether a transaction is open, as of the last statement: with none, a commit or rollback
    # has nothing to do and makes no trip (the pool rolls back every connection it takes back).
    in_transaction = False

    def cursor(self) -> OneHopCursor:  # type: ignore[override]
        return OneHopCursor(self)

    async def commit(self) -> None:
        if self.in_transaction:
            await super().commit()
            self.in_transaction = False

    async def rollback(self) -> None:
        if self.in_transaction:
            await super().rollback()
            self.in_transaction = False

    def run(self, sql: str, parameters: Any, many: bool) -> _Outcome:
        """On the worker thread: the whole statement, rows included."""
        cursor = self._conn.cursor()
        prefix, self.prefix = self.prefix, None
        suffix, self.suffix = self.suffix, None
        try:
            if prefix is not None:
                cursor.execute(prefix)
            if many:
                cursor.executemany(sql, parameters)
            else:
                cursor.execute(sql, parameters if parameters is not None else ())
            rows = cursor.fetchall() if cursor.description else []
            # Only once the statement succeeded: a failure leaves the rollback to the caller.
            for follower, follower_parameters in suffix or ():
                self._conn.execute(follower, follower_parameters)
            return cursor.description, cursor.rowcount, cursor.lastrowid, rows
        finally:
            self.in_transaction = self._conn.in_transaction
            cursor.close()


class OneHopCursor:
    """The part of aiosqlite's Cursor that SQLAlchemy's adapter uses."""

    arraysize = 1

    def __init__(self, connection: OneHopConnection) -> None:
        self._connection = connection
        self.description: _Description = None
        self.rowcount = -1
        self.lastrowid: int | None = None
        self._rows: list[Any] = []

    async def __aenter__(self) -> OneHopCursor:
        return self

    async def execute(self, sql: str, parameters: Any = None) -> OneHopCursor:
        return await self._run(sql, parameters, many=False)

    async def executemany(self, sql: str, parameters: Sequence[Any]) -> OneHopCursor:
        return await self._run(sql, parameters, many=True)

    async def _run(self, sql: str, parameters: Any, *, many: bool) -> OneHopCursor:
        outcome: _Outcome = await self._connection._execute(  # type: ignore[no-untyped-call]
            partial(self._connection.run, sql, parameters, many)
        )
        self.description, self.rowcount, self.lastrowid, self._rows = outcome
        return self

    async def fetchall(self) -> list[Any]:
        rows, self._rows = self._rows, []
        return rows

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        # The rows came in the statement's one trip; a streamed result takes them in slices.
        count = self.arraysize if size is None else size
        rows, self._rows = self._rows[:count], self._rows[count:]
        return rows

    async def fetchone(self) -> Any:
        return self._rows.pop(0) if self._rows else None

    async def close(self) -> None:
        self._rows = []


def one_hop_creator(url: str) -> Any:
    """An `async_creator` for create_async_engine, connecting as aiosqlite.connect would."""
    database = make_url(url).database or ":memory:"

    def connect() -> OneHopConnection:
        connection = OneHopConnection(partial(sqlite3.connect, database), iter_chunk_size=64)
        # As SQLAlchemy does for aiosqlite: a forgotten connection must not keep Python alive.
        connection._thread.daemon = True
        return connection

    return connect
