"""A feed's health: the first failure of a streak is logged and told to admins, later ones
only counted; the first success after it is told too, and ends the streak."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.bulletin_feed.fetch import Validators
from services.bulletin_feed.model import FeedFailure, digest
from services.bulletin_feed.notices import notify_failure, notify_recovery
from services.config import Settings
from storage.bulletin_feed import lock_feed_state

log = logging.getLogger(__name__)
Sessions = async_sessionmaker[AsyncSession]


async def record_failure(
    settings: Settings, sessionmaker: Sessions, url: str, failure: FeedFailure, now: datetime
) -> None:
    async with sessionmaker.begin() as session:
        state = await lock_feed_state(session=session, feed_key=digest(url), url=url)
        first = state.failure_streak == 0 or state.failing_since is None
        if first:
            state.failing_since = now
        state.failure_streak += 1
        state.last_error = str(failure)
        session.add(state)
        if not first:
            log.debug("bulletin feed still failing (%d): %s", state.failure_streak, failure)
            return
        # Logged and told once per streak: a feed down for a week is not 168 warnings.
        log.warning("bulletin feed %s cannot be read: %s", url, failure)
        await notify_failure(
            session=session, settings=settings, url=url, since=now,
            reason=failure.reason, detail=failure.detail, now=now,
        )  # fmt: skip


async def record_success(
    settings: Settings,
    sessionmaker: Sessions,
    url: str,
    validators: Validators | None,
    now: datetime,
) -> None:
    async with sessionmaker.begin() as session:
        state = await lock_feed_state(session=session, feed_key=digest(url), url=url)
        if state.failure_streak and state.failing_since is not None:
            log.warning(
                "bulletin feed %s works again after %d failed polls", url, state.failure_streak
            )
            await notify_recovery(
                session=session, settings=settings, url=url, since=state.failing_since,
                failures=state.failure_streak, now=now,
            )  # fmt: skip
        state.failure_streak = 0
        state.failing_since = None
        state.last_error = None
        state.last_success_at = now
        if validators is not None:
            state.etag, state.last_modified = validators.etag, validators.last_modified
        session.add(state)
