"""SQLite as a concurrent bot needs it: settings, writers queued in order, few thread trips."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from unittest.mock import patch

import aiosqlite
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.pool import QueuePool

from bot.polling import Poller
from storage.db import create_engine, create_sessionmaker, execute_and_commit, priority_write
from storage.models import AuditLog, ChatPreference
from storage.sqlite_gate import writers_waiting


async def test_datetimes_come_back_aware_utc(session: AsyncSession) -> None:
    beijing = timezone(timedelta(hours=8))
    entry = AuditLog(action="test", at=datetime(2024, 3, 21, 9, 30, tzinfo=beijing))
    session.add(entry)
    await session.commit()
    entry_id = entry.id
    session.expire_all()
    loaded = await session.get(AuditLog, entry_id)
    assert loaded is not None
    assert loaded.at.tzinfo is not None
    assert loaded.at.utcoffset() == timedelta(0)
    assert loaded.at == datetime(2024, 3, 21, 1, 30, tzinfo=UTC)


async def test_naive_datetimes_are_refused(session: AsyncSession) -> None:
    session.add(AuditLog(action="test", at=datetime(2024, 3, 21, 9, 30)))
    with pytest.raises(Exception, match="naive datetime"):
        await session.commit()


async def test_sqlite_connection_settings(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", sqlite_busy_timeout_ms=4321)
    async with engine.connect() as connection:
        values = {
            pragma: (await connection.exec_driver_sql(f"PRAGMA {pragma}")).scalar()
            for pragma in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")
        }
    await engine.dispose()
    assert values == {
        "journal_mode": "wal",
        "busy_timeout": 4321,
        "synchronous": 1,
        "foreign_keys": 1,
    }


async def test_concurrent_writers_queue_instead_of_failing(tmp_path: Path) -> None:
    """A read-then-write transaction must wait for the lock, not fail with "database is locked"."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(ChatPreference.metadata.create_all)
    sessionmaker = create_sessionmaker(engine)

    async def read_then_write(user_id: int) -> None:
        async with sessionmaker.begin() as session:
            await session.execute(text("SELECT count(*) FROM chatpreference"))
            await asyncio.sleep(0.01)
            session.add(ChatPreference(telegram_id=user_id, language="zh"))

    await asyncio.gather(*(read_then_write(i) for i in range(20)))
    async with sessionmaker() as session:
        count = (await session.execute(text("SELECT count(*) FROM chatpreference"))).scalar()
    await engine.dispose()
    assert count == 20


async def test_foreign_keys_are_enforced(session: AsyncSession) -> None:
    from storage.models import Group

    session.add(Group(name="第一小组", delegation_id=999))
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        await session.commit()


@dataclass
class Trips:
    """Trips to aiosqlite's worker thread, counted while `counting_trips()` is open."""

    count: int = 0


@contextmanager
def counting_trips() -> Iterator[Trips]:
    trips = Trips()
    original = aiosqlite.Connection._execute

    async def counted(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        trips.count += 1
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    with patch.object(aiosqlite.Connection, "_execute", counted):
        yield trips


async def test_one_trip_to_the_driver_thread_per_statement(tmp_path: Path) -> None:
    """A SELECT is one trip to aiosqlite's thread (not four); BEGIN rides with the first write."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 't.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(ChatPreference.metadata.create_all)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        await session.execute(text("SELECT 1"))  # the pool's connection is open from here on
        with counting_trips() as trips:
            assert (
                await session.execute(text("SELECT count(*) FROM chatpreference"))
            ).scalar() == 0
        select_trips = trips.count
        with counting_trips() as trips:
            session.add(ChatPreference(telegram_id=1, language="zh"))
            await session.commit()
        write_trips = trips.count
    await engine.dispose()
    assert select_trips == 1
    assert write_trips == 2  # BEGIN IMMEDIATE with the INSERT, then COMMIT


async def test_the_last_statement_and_its_commit_are_one_trip(tmp_path: Path) -> None:
    """execute_and_commit: the transaction's last write carries the COMMIT, so the write lock is
    held one trip less; what came before commits with it, and a failing statement commits
    nothing."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'c.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(ChatPreference.metadata.create_all)
    insert = text("INSERT INTO chatpreference (telegram_id, language) VALUES (:id, 'zh')")
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        await session.execute(text("SELECT 1"))
        with counting_trips() as trips:
            await session.execute(insert, {"id": 1})
            await execute_and_commit(await session.connection(), insert, {"id": 2})
            await session.commit()
    assert trips.count == 2  # BEGIN IMMEDIATE with the first INSERT; the second with the COMMIT
    async with sessionmaker() as session:
        await session.execute(insert, {"id": 3})
        connection = await session.connection()
        with pytest.raises(IntegrityError):
            await execute_and_commit(connection, insert, {"id": 1})
        await session.rollback()
    async with sessionmaker() as session:
        stored = (await session.execute(text("SELECT telegram_id FROM chatpreference"))).all()
    await engine.dispose()
    assert sorted(row[0] for row in stored) == [1, 2]


async def test_an_urgent_writer_goes_before_those_waiting(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'u.db'}")
    async with engine.begin() as connection:
        await connection.run_sync(ChatPreference.metadata.create_all)
    sessionmaker = create_sessionmaker(engine)
    order: list[str] = []
    holding = asyncio.Event()
    release = asyncio.Event()

    async def holder() -> None:
        async with sessionmaker.begin() as session:
            session.add(ChatPreference(telegram_id=1))
            await session.flush()  # holds the write lock from here to the commit
            holding.set()
            await release.wait()
        order.append("holder")

    async def ordinary() -> None:
        async with sessionmaker.begin() as session:
            session.add(ChatPreference(telegram_id=2))
        order.append("ordinary")

    async def urgent() -> None:
        async with priority_write(engine) as connection:
            await connection.execute(text("DELETE FROM chatpreference WHERE telegram_id = 3"))
        order.append("urgent")

    first = asyncio.create_task(holder())
    await holding.wait()
    waiting = [asyncio.create_task(ordinary())]
    while writers_waiting(engine) < 1:
        await asyncio.sleep(0.001)
    waiting.append(asyncio.create_task(urgent()))
    while writers_waiting(engine) < 2:
        await asyncio.sleep(0.001)
    release.set()
    await asyncio.gather(first, *waiting)
    await engine.dispose()
    assert order == ["holder", "urgent", "ordinary"]


async def test_the_pool_keeps_a_connection_for_every_update_handled_at_once(
    tmp_path: Path,
) -> None:
    # Fewer, and each update past the pool's size opened and closed a connection of its own.
    concurrency = inspect.signature(Poller).parameters["concurrency"].default
    for url in ("postgresql+asyncpg://u@127.0.0.1:1/none", f"sqlite+aiosqlite:///{tmp_path}/p.db"):
        engine = create_engine(url)
        pool = engine.sync_engine.pool
        assert isinstance(pool, QueuePool)
        assert pool.size() > concurrency
        await engine.dispose()


async def test_more_updates_at_once_get_a_bigger_pool(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/q.db", concurrency=60)
    pool = engine.sync_engine.pool
    assert isinstance(pool, QueuePool)
    assert pool.size() > 60
    await engine.dispose()
