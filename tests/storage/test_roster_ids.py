"""Migration 0004: a representative id is unique per delegation and level, not nationwide."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from storage.db import create_engine
from storage.migrate import downgrade, upgrade

_SETUP = [
    "INSERT INTO delegation (id, name, level) VALUES (1, '驻洛省', 'province')",
    "INSERT INTO delegation (id, name, level) VALUES (2, '驻郑省', 'province')",
    "INSERT INTO person (id, name, unreachable, created_at, updated_at) "
    "VALUES (1, '甲', false, '2026-01-01', '2026-01-01')",
]
_MANDATE = text(
    "INSERT INTO mandate (person_id, level, term_number, delegation_id, is_group_leader, "
    "roster_id, active) VALUES (1, :level, 14, :delegation, false, :roster_id, true)"
)


async def _run(url: str, *, setup: bool = False, mandates: list[tuple[int, str, str]]) -> None:
    """Insert mandates of (delegation, roster id, level) in one transaction."""
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in _SETUP if setup else []:
                await connection.execute(text(statement))
            for delegation, roster_id, level in mandates:
                params = {"delegation": delegation, "roster_id": roster_id, "level": level}
                await connection.execute(_MANDATE, params)
    finally:
        await engine.dispose()


def test_two_delegations_may_share_an_id_but_one_delegation_may_not(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    upgrade(url, "0003")
    asyncio.run(_run(url, setup=True, mandates=[(1, "001", "province")]))
    with pytest.raises(IntegrityError):
        asyncio.run(_run(url, mandates=[(2, "001", "province")]))

    upgrade(url, "0004")

    asyncio.run(_run(url, mandates=[(2, "001", "province")]))
    with pytest.raises(IntegrityError):
        asyncio.run(_run(url, mandates=[(1, "001", "province")]))
    # Another level in the same delegation is another congress's numbering.
    asyncio.run(_run(url, mandates=[(1, "001", "city")]))


def test_downgrade_restores_the_nationwide_id_when_ids_do_not_repeat(
    empty_database_url: str,
) -> None:
    url = empty_database_url
    upgrade(url, "0004")
    asyncio.run(_run(url, setup=True, mandates=[(1, "001", "province"), (2, "002", "province")]))

    downgrade(url, "0003")

    with pytest.raises(IntegrityError):
        asyncio.run(_run(url, mandates=[(2, "001", "province")]))
