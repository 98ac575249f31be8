"""Claims on feed items: one poll at a time takes an item, a dead poll's claim expires, a
settled item is never taken again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.bulletin_feed import claim_item, finish_item, release_item, settled_item_keys

NOW = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
LEASE = timedelta(minutes=15)


async def _claim(session: AsyncSession, key: str, now: datetime) -> bool:
    taken = await claim_item(
        session=session, feed_key="f", item_key=key, item_id=key, title=None,
        now=now, until=now + LEASE,
    )  # fmt: skip
    await session.commit()
    return taken


async def test_one_claim_at_a_time_until_it_expires_then_settled_for_good(
    session: AsyncSession,
) -> None:
    assert await _claim(session, "a", NOW)
    assert not await _claim(session, "a", NOW + timedelta(minutes=1))
    assert await settled_item_keys(session=session, feed_key="f", item_keys=["a", "b"]) == set()
    later = NOW + LEASE + timedelta(seconds=1)
    assert await _claim(session, "a", later)
    await finish_item(session=session, feed_key="f", item_key="a", now=later, error=None)
    await session.commit()
    far = later + timedelta(days=30)
    assert not await _claim(session, "a", far)
    assert await settled_item_keys(session=session, feed_key="f", item_keys=["a"]) == {"a"}


async def test_a_released_claim_is_taken_again_at_once(session: AsyncSession) -> None:
    assert await _claim(session, "b", NOW)
    await release_item(session=session, feed_key="f", item_key="b")
    await session.commit()
    assert await _claim(session, "b", NOW)
    assert not await _claim(session, "b", NOW)
