"""The XLSX of every concern in a staff member's scope, in the reader's language."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.concerns.listing import age_days
from services.dates import local_today
from services.files import Cell, write_xlsx
from storage.concerns import ConcernRow, list_in_scope
from storage.duty_models import ConcernState

# The columns, in order; the handler supplies their names in the reader's language.
COLUMNS = (
    "id",
    "representative",
    "delegation",
    "group",
    "category",
    "summary",
    "place",
    "state",
    "department",
    "created",
    "last_change",
    "age_days",
    "consent",
    "constituent_name",
    "constituent_phone",
)


@dataclass(frozen=True)
class ExportWords:
    """Words of the reader's language: column headers (by COLUMNS), and how values read."""

    headers: Sequence[str]
    category: Callable[[str], str]
    state: Callable[[ConcernState], str]
    yes: str
    no: str


async def export_concerns(
    *, session: AsyncSession, actor: Actor, now: datetime, tz: ZoneInfo, words: ExportWords
) -> bytes:
    scope = actor.scope if actor.is_staff else frozenset()
    rows = await list_in_scope(session=session, delegation_ids=scope)
    cells = [_cells(row, now, tz, words) for row in rows]
    # Building the workbook is CPU work: off the event loop, so nobody else waits for it.
    return await asyncio.to_thread(write_xlsx, words.headers, cells, title="concerns")


def _cells(row: ConcernRow, now: datetime, tz: ZoneInfo, words: ExportWords) -> list[Cell]:
    concern = row.concern
    # Contact only while consent stands and nobody asked for it to be erased.
    keep_contact = concern.consent and concern.contact_erased_at is None
    return [
        concern.id,
        row.representative,
        row.delegation,
        row.group or "",
        words.category(concern.category),
        concern.summary,
        concern.place or "",
        words.state(concern.state),
        concern.department or "",
        local_today(concern.created_at, tz),
        local_today(concern.touched_at, tz),
        age_days(concern.created_at, now, tz),
        words.yes if concern.consent else words.no,
        (concern.constituent_name or "") if keep_contact else "",
        (concern.constituent_phone or "") if keep_contact else "",
    ]
