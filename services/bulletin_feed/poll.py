"""One poll of the bulletin feed: fetch it (conditionally), hand each new item's file to the
importer, and record what happened, telling admins when the feed starts or stops failing."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.bulletin_feed.fetch import Validators, fetch_document, fetch_feed
from services.bulletin_feed.health import record_failure, record_success
from services.bulletin_feed.model import (
    FailureReason,
    FeedFailure,
    FeedItem,
    FeedItemRejected,
    ImporterUnavailable,
    digest,
)
from services.bulletin_feed.parse import parse_feed
from services.config import Settings
from storage.bulletin_feed import (
    claim_item,
    finish_item,
    get_feed_state,
    release_item,
    settled_item_keys,
)

log = logging.getLogger(__name__)

OnNewIssue = Callable[[FeedItem, bytes, str], Awaitable[object]]
Sessions = async_sessionmaker[AsyncSession]
# How long an item stays with the poll importing it; one that died is taken again after this.
CLAIM = timedelta(minutes=15)


@dataclass
class PollResult:
    """What one poll did; `failure` is set when the feed itself could not be read."""

    not_modified: bool = False
    failure: FeedFailure | None = None
    imported: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    # Items left for the next poll: their file or the import failed for now, or the poll's
    # share (BULLETIN_FEED_MAX_NEW) was used up.
    deferred: list[str] = field(default_factory=list)


async def poll_feed_once(
    settings: Settings,
    sessionmaker: Sessions,
    http_client: httpx.AsyncClient,
    on_new_issue: OnNewIssue,
    now: datetime,
) -> PollResult:
    """Poll BULLETIN_FEED_URL once (nothing when unset). Raises only what the database raises
    while recording the outcome; the feed's and the files' failures are recorded, not raised."""
    result = PollResult()
    url = settings.bulletin_feed_url
    if url is None:
        return result
    feed_key = digest(url)
    async with sessionmaker() as session:
        state = await get_feed_state(session=session, feed_key=feed_key)
        validators = Validators(state.etag, state.last_modified) if state else Validators()
    try:
        async with asyncio.timeout(settings.bulletin_feed_timeout_seconds):
            fetched = await fetch_feed(
                http_client, url, validators=validators, max_bytes=settings.bulletin_feed_max_bytes
            )
        items = (
            []
            if fetched is None
            else await asyncio.to_thread(parse_feed, fetched.body, base_url=url)
        )
    except TimeoutError:
        result.failure = FeedFailure(FailureReason.timeout, "no complete answer in time")
    except FeedFailure as failure:
        result.failure = failure
    if result.failure is not None:
        await record_failure(settings, sessionmaker, url, result.failure, now)
        return result
    result.not_modified = fetched is None
    await _take_new(settings, sessionmaker, http_client, on_new_issue, items, now, result)
    # Validators are kept only once every item is settled, so that a 304 never hides one.
    settled = fetched is not None and not result.deferred
    await record_success(
        settings, sessionmaker, url, fetched.validators if settled and fetched else None, now
    )
    return result


async def _take_new(
    settings: Settings,
    sessionmaker: Sessions,
    client: httpx.AsyncClient,
    on_new_issue: OnNewIssue,
    items: list[FeedItem],
    now: datetime,
    result: PollResult,
) -> None:
    unique = list({item.key: item for item in reversed(items)}.values())[::-1]
    feed_key = digest(settings.bulletin_feed_url or "")
    async with sessionmaker() as session:
        settled = await settled_item_keys(
            session=session, feed_key=feed_key, item_keys=[i.key for i in unique]
        )
    # Oldest first, so that drafts are made in the order the office published them.
    new = sorted((i for i in unique if i.key not in settled), key=lambda i: _order(i, now))
    for item in new[settings.bulletin_feed_max_new :]:
        result.deferred.append(item.id)
    for item in new[: settings.bulletin_feed_max_new]:
        async with sessionmaker.begin() as session:
            claimed = await claim_item(
                session=session, feed_key=feed_key, item_key=item.key, item_id=item.id,
                title=item.title, now=now, until=now + CLAIM,
            )  # fmt: skip
        if claimed:
            await _take(settings, sessionmaker, client, on_new_issue, item, feed_key, now, result)
        else:
            # Another process is importing it; should that fail, a full fetch must show it again.
            result.deferred.append(item.id)


async def _take(
    settings: Settings,
    sessionmaker: Sessions,
    client: httpx.AsyncClient,
    on_new_issue: OnNewIssue,
    item: FeedItem,
    feed_key: str,
    now: datetime,
    result: PollResult,
) -> None:
    error: str | None = None
    try:
        if item.document_url is None:
            raise FeedFailure(FailureReason.unsupported, "the item names no file")
        async with asyncio.timeout(settings.bulletin_feed_timeout_seconds):
            document = await fetch_document(
                client, item.document_url,
                max_bytes=settings.bulletin_file_max_bytes, fallback_name=f"issue-{item.key[:12]}",
                feed_url=settings.bulletin_feed_url or "",
            )  # fmt: skip
        await on_new_issue(item, document.content, document.filename)
    except FeedFailure as failure:
        if not failure.permanent:
            return await _defer(sessionmaker, feed_key, item, str(failure), result)
        error = str(failure)
    except FeedItemRejected as rejected:
        error = f"rejected: {rejected}"
    except TimeoutError:
        return await _defer(sessionmaker, feed_key, item, "timeout", result)
    except ImporterUnavailable as unavailable:
        return await _defer(sessionmaker, feed_key, item, str(unavailable), result)
    except Exception as exc:
        log.exception("importing bulletin feed item %r failed", item.id)
        return await _defer(sessionmaker, feed_key, item, type(exc).__name__, result)
    if error is not None:
        log.warning("bulletin feed item %r refused: %s", item.id, error)
        result.refused.append(item.id)
    else:
        log.info("bulletin feed item %r imported", item.id)
        result.imported.append(item.id)
    async with sessionmaker.begin() as session:
        await finish_item(
            session=session, feed_key=feed_key, item_key=item.key, now=now, error=error
        )


async def _defer(
    sessionmaker: Sessions, feed_key: str, item: FeedItem, why: str, result: PollResult
) -> None:
    log.warning("bulletin feed item %r left for the next poll: %s", item.id, why)
    result.deferred.append(item.id)
    async with sessionmaker.begin() as session:
        await release_item(session=session, feed_key=feed_key, item_key=item.key)


def _order(item: FeedItem, now: datetime) -> tuple[bool, datetime]:
    return (item.published is None, item.published or now)
