"""The bulletin feed watch in the bot's process: a poll every BULLETIN_FEED_MINUTES until told
to stop (services.bulletin_feed decides what a poll does)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.stopping import stop_if_cancelled
from services.bulletin_feed.model import FeedItem, ImporterUnavailable
from services.bulletin_feed.poll import OnNewIssue, poll_feed_once
from services.config import Settings
from storage.types import utcnow

log = logging.getLogger(__name__)
USER_AGENT = "liaison-bot bulletin feed watch"


async def importer_not_installed(item: FeedItem, content: bytes, filename: str) -> object:
    """Until the bulletin importer is plugged in, items wait in the feed, none is lost."""
    raise ImporterUnavailable("no bulletin importer is installed")


@dataclass
class FeedWatch:
    settings: Settings
    sessionmaker: async_sessionmaker[AsyncSession]
    on_new_issue: OnNewIssue = importer_not_installed
    clock: Callable[[], datetime] = utcnow
    transport: httpx.AsyncBaseTransport | None = None
    _stopping: asyncio.Event = field(init=False, default_factory=asyncio.Event)

    async def run(self) -> None:
        """Poll now, then every BULLETIN_FEED_MINUTES, until `stop`. A poll's failure is logged
        and the next poll comes as planned; only cancellation ends the loop otherwise."""
        timeout = httpx.Timeout(self.settings.bulletin_feed_timeout_seconds)
        async with httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=True,
            headers={"User-Agent": USER_AGENT},
            transport=self.transport,
        ) as client:
            while not self._stopping.is_set():
                try:
                    await poll_feed_once(
                        self.settings, self.sessionmaker, client, self.on_new_issue, self.clock()
                    )
                except Exception:
                    stop_if_cancelled()
                    log.exception("bulletin feed poll failed")
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.settings.bulletin_feed_minutes * 60):
                        await self._stopping.wait()

    def stop(self) -> None:
        """Poll no more; a poll under way finishes its database work (serving waits for it)."""
        self._stopping.set()
