"""Queries of the bulletin feed watch: a feed's state, claims on its items, and its admins."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import delete, or_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.feed_models import FeedItemSeen, FeedState
from storage.models import Person, StaffMember, StaffRole


def _insert(session: AsyncSession, table: Any) -> Any:
    dialect = sqlite if session.get_bind().dialect.name == "sqlite" else postgresql
    return dialect.insert(table)


async def lock_feed_state(*, session: AsyncSession, feed_key: str, url: str) -> FeedState:
    """The feed's row, made if missing and locked until the transaction ends (on PostgreSQL):
    two processes polling the same feed take turns recording its outcome."""
    await session.execute(
        _insert(session, FeedState)
        .values(feed_key=feed_key, url=url, failure_streak=0)
        .on_conflict_do_nothing()
    )
    query = select(FeedState).where(col(FeedState.feed_key) == feed_key).with_for_update()
    state = (await session.execute(query.execution_options(populate_existing=True))).scalar_one()
    return state


async def get_feed_state(*, session: AsyncSession, feed_key: str) -> FeedState | None:
    query = select(FeedState).where(col(FeedState.feed_key) == feed_key)
    return (await session.execute(query)).scalar_one_or_none()


async def settled_item_keys(
    *, session: AsyncSession, feed_key: str, item_keys: Collection[str]
) -> set[str]:
    """Of `item_keys`, those settled: imported, or refused for good."""
    if not item_keys:
        return set()
    query = select(FeedItemSeen.item_key).where(
        col(FeedItemSeen.feed_key) == feed_key,
        col(FeedItemSeen.item_key).in_(list(item_keys)),
        col(FeedItemSeen.done_at).is_not(None),
    )
    return set((await session.execute(query)).scalars())


async def claim_item(
    *,
    session: AsyncSession,
    feed_key: str,
    item_key: str,
    item_id: str,
    title: str | None,
    now: datetime,
    until: datetime,
) -> bool:
    """Take the item for this poll until `until`: True if it was new, or its claim had
    expired; False if it is done or another poll holds it."""
    inserted = await session.execute(
        _insert(session, FeedItemSeen)
        .values(
            feed_key=feed_key, item_key=item_key, item_id=item_id, title=title, claimed_until=until
        )
        .on_conflict_do_nothing()
    )
    if inserted.rowcount:  # type: ignore[attr-defined]
        return True
    taken_again = await session.execute(
        update(FeedItemSeen)
        .where(
            col(FeedItemSeen.feed_key) == feed_key,
            col(FeedItemSeen.item_key) == item_key,
            col(FeedItemSeen.done_at).is_(None),
            or_(col(FeedItemSeen.claimed_until).is_(None), col(FeedItemSeen.claimed_until) <= now),
        )
        .values(claimed_until=until)
    )
    return bool(taken_again.rowcount)  # type: ignore[attr-defined]


async def finish_item(
    *, session: AsyncSession, feed_key: str, item_key: str, now: datetime, error: str | None
) -> None:
    """The item is settled: imported (`error` None) or refused for good with `error`."""
    await session.execute(
        update(FeedItemSeen)
        .where(col(FeedItemSeen.feed_key) == feed_key, col(FeedItemSeen.item_key) == item_key)
        .values(done_at=now, claimed_until=None, error=error)
    )


async def release_item(*, session: AsyncSession, feed_key: str, item_key: str) -> None:
    """Forget a claim that did not settle the item: the next poll tries it again."""
    await session.execute(
        delete(FeedItemSeen).where(
            col(FeedItemSeen.feed_key) == feed_key,
            col(FeedItemSeen.item_key) == item_key,
            col(FeedItemSeen.done_at).is_(None),
        )
    )


async def admin_person_ids(*, session: AsyncSession, telegram_ids: Collection[int]) -> list[int]:
    """People on the roster who are admins: listed in ADMIN_IDS (`telegram_ids`) or given the
    admin role, by their person or by their Telegram id."""
    admins = select(StaffMember).where(col(StaffMember.role) == StaffRole.admin).subquery()
    query = select(Person.id).where(
        or_(
            col(Person.telegram_id).in_(list(telegram_ids)),
            col(Person.id).in_(select(admins.c.person_id).where(admins.c.person_id.is_not(None))),
            col(Person.telegram_id).in_(
                select(admins.c.telegram_id).where(admins.c.telegram_id.is_not(None))
            ),
        )
    )
    return sorted(person_id for person_id in (await session.execute(query)).scalars() if person_id)
