"""Lists of concerns: a representative's open ones, and those in a staff member's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.dates import local_today
from storage.concerns import (
    ConcernRow,
    count_in_scope,
    count_open_of_person,
    list_in_scope,
    list_open_of_person,
)
from storage.duty_models import Concern

PAGE_SIZE = 10
T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int  # from 0
    pages: int  # at least 1, even when empty
    total: int


def _clamp(page: int, total: int) -> tuple[int, int]:
    pages = max(1, -(-total // PAGE_SIZE))
    return min(max(page, 0), pages - 1), pages


async def open_concerns_of(*, session: AsyncSession, person_id: int, page: int) -> Page[Concern]:
    """One's open concerns, oldest first."""
    total = await count_open_of_person(session=session, person_id=person_id)
    page, pages = _clamp(page, total)
    items = await list_open_of_person(
        session=session, person_id=person_id, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    return Page(items, page, pages, total)


async def concerns_in_scope(*, session: AsyncSession, actor: Actor, page: int) -> Page[ConcernRow]:
    """Concerns of the staff member's delegations (an admin's: all), by group."""
    scope = actor.scope if actor.is_staff else frozenset()
    total = await count_in_scope(session=session, delegation_ids=scope)
    page, pages = _clamp(page, total)
    items = await list_in_scope(
        session=session, delegation_ids=scope, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    return Page(items, page, pages, total)


def age_days(created_at: datetime, now: datetime, tz: ZoneInfo) -> int:
    """Whole calendar days since the concern was recorded, as the office's calendar counts."""
    return (local_today(now, tz) - local_today(created_at, tz)).days
