"""An aiogram FSM storage kept in the database, so that a dialog survives a restart.

aiogram ships memory, Redis and Mongo storages only. Inside an update the storage writes through
the update's own session (storage.db.current_session): the dialog step and what the handler saved
commit together or not at all, and a handler never waits on its own write lock. Outside an update
(a scheduled job, a test) each call runs in a short transaction of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.db import current_session
from storage.models import FsmRecord
from storage.types import utcnow

# session.info key: FSM rows already read in this session (see DatabaseStorage.remember).
_KNOWN = "fsm_records_read"


class DatabaseStorage(BaseStorage):
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._keys = key_builder or DefaultKeyBuilder(with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        async with self._session() as session:
            record = await self._record(session, key)
            record.state = state.state if isinstance(state, State) else state
            await self._save(session, record)

    async def get_state(self, key: StorageKey) -> str | None:
        async with self._session() as session:
            record = await self._read(session, self.key_of(key))
            return record.state if record is not None else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        async with self._session() as session:
            record = await self._record(session, key)
            record.data = dict(data)
            await self._save(session, record)

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        async with self._session() as session:
            record = await self._read(session, self.key_of(key))
            return dict(record.data) if record is not None else {}

    async def update_data(self, key: StorageKey, data: Mapping[str, Any]) -> dict[str, Any]:
        # One transaction for read-modify-write, so two updates cannot lose each other's keys.
        async with self._session() as session:
            record = await self._record(session, key)
            merged = {**record.data, **data}
            record.data = merged
            await self._save(session, record)
            return dict(merged)

    def key_of(self, key: StorageKey) -> str:
        """The row's primary key, for reading it along with an update's other reads."""
        return self._keys.build(key)

    @staticmethod
    def remember(session: AsyncSession, key: str, record: FsmRecord | None) -> None:
        """Serve this key's reads in `session` from `record` (None: no row), read just now.

        Safe within one update: its FSM key is locked by the event isolation for the whole
        update, and this storage's own writes in the session keep the note current.
        """
        session.info.setdefault(_KNOWN, {})[key] = record

    @staticmethod
    def forget(session: AsyncSession) -> None:
        """Drop the notes of `session`, whose transaction was rolled back."""
        session.info.pop(_KNOWN, None)

    async def close(self) -> None:
        """The sessionmaker's engine belongs to the app, which disposes of it."""

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        shared = current_session.get()
        if shared is not None:
            yield shared
            return
        async with self._sessionmaker.begin() as session:
            yield session

    async def _read(self, session: AsyncSession, built: str) -> FsmRecord | None:
        known: dict[str, FsmRecord | None] = session.info.get(_KNOWN, {})
        if built in known:
            return known[built]
        return await session.get(FsmRecord, built)

    async def _record(self, session: AsyncSession, key: StorageKey) -> FsmRecord:
        built = self._keys.build(key)
        # Create the row first: FOR UPDATE cannot lock a row that does not exist yet, and two
        # first writes to one key would otherwise both insert.
        dialect = session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        await session.execute(
            insert(FsmRecord)
            .values(key=built, state=None, data={}, updated_at=utcnow())
            .on_conflict_do_nothing(index_elements=["key"])
        )
        record = await session.get(FsmRecord, built, with_for_update=True, populate_existing=True)
        assert record is not None  # noqa: S101 - inserted just above, in this transaction
        self.remember(session, built, record)
        return record

    async def _save(self, session: AsyncSession, record: FsmRecord) -> None:
        if record.state is None and not record.data:
            await session.delete(record)
            self.remember(session, record.key, None)
        else:
            record.updated_at = utcnow()
            session.add(record)
        await session.flush()
