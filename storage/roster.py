"""The roster as a whole: read everything a roster import compares against, write its changes.

An import of ten thousand rows must not issue a query per row, so it reads each table once into
memory, decides there what changes, and writes the changes in a few batched flushes.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import insert, inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import SQLModel, select

from storage.models import Delegation, Group, Mandate, Person, StaffMember, StaffScope, Station

_Row = TypeVar("_Row", bound=SQLModel)


@dataclass(frozen=True)
class RosterSnapshot:
    """Every roster table, read in one pass; the rows stay attached to the session."""

    delegations: list[Delegation]
    groups: list[Group]
    stations: list[Station]
    people: list[Person]
    mandates: list[Mandate]
    staff: list[StaffMember]
    scopes: list[StaffScope]


_SLICE = 500


async def load_roster_snapshot(*, session: AsyncSession) -> RosterSnapshot:
    # Ordered by id, so that lists such as "missing from the file" follow the order of entry.
    return RosterSnapshot(
        delegations=await _all(session, Delegation),
        groups=await _all(session, Group),
        stations=await _all(session, Station),
        people=await _all(session, Person),
        mandates=await _all(session, Mandate),
        staff=await _all(session, StaffMember),
        scopes=await _all(session, StaffScope),
    )


async def _all(session: AsyncSession, table: type[_Row]) -> list[_Row]:
    key = inspect(table).primary_key[0]
    # Rows the session loaded earlier are read again: the import compares against the database.
    # Read in slices, each an await: building 50,000 rows at once would hold the event loop.
    query = select(table).order_by(key).execution_options(populate_existing=True, yield_per=_SLICE)
    rows: list[_Row] = []
    async for part in (await session.stream_scalars(query)).partitions():
        rows.extend(part)
        await asyncio.sleep(0)  # a driver that fetched every row at once would not yield
    return rows


@dataclass(eq=False)
class Write:
    """One row to insert through the session (``new``), or a stored row to update with ``values``.

    ``links`` name foreign-key columns by the row they point at rather than by its id: a row added
    by the same import has no id until an earlier stage is flushed.
    """

    row: SQLModel
    new: bool
    values: dict[str, object] = field(default_factory=dict)
    links: dict[str, SQLModel | None] = field(default_factory=dict)


@dataclass(eq=False)
class BulkInsert:
    """A row inserted together with the others of its table, in one executemany.

    For rows nothing points at, so their ids are never needed: an insert through the session
    fetches each new id, which on SQLite costs a statement per row.
    """

    table: type[SQLModel]
    values: dict[str, object]
    links: dict[str, SQLModel | None] = field(default_factory=dict)


Step = Write | BulkInsert


async def apply_writes(*, session: AsyncSession, stages: Sequence[Sequence[Step]]) -> None:
    """Write stage by stage, so that every stage can point at the rows of the ones before.

    The caller owns the transaction: nothing here commits.
    """
    for stage in stages:
        bulk: dict[type[SQLModel], list[dict[str, object]]] = defaultdict(list)
        for step in stage:
            values = {**step.values, **{name: _id(target) for name, target in step.links.items()}}
            if isinstance(step, BulkInsert):
                bulk[step.table].append(values)
                continue
            for name, value in values.items():
                setattr(step.row, name, value)
            if step.new:
                session.add(step.row)
        await session.flush()
        for table, rows in bulk.items():
            await session.execute(insert(table), rows)


def _id(row: SQLModel | None) -> object:
    if row is None:
        return None
    identity = inspect(row).identity
    if identity is None:
        raise ValueError(f"{type(row).__name__} is linked before it was written")
    return identity[0]
