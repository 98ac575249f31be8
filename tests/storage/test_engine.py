from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import create_engine, create_sessionmaker
from storage.models import AuditLog, ChatPreference


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
