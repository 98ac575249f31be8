"""The feed watch in the bot: admins read its notices in their language; the loop polls, keeps
going after a failed poll, and stops when told, without being cancelled."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

import bot.feed_watch
from bot.app import App
from bot.feed_watch import FeedWatch
from bot.serving import start_feed_watch
from services.bulletin_feed.model import FeedItem
from services.bulletin_feed.poll import PollResult, poll_feed_once
from storage.bulletins import find_issue
from storage.types import utcnow
from tests.bot.delivery_kit import Clock, FaultySession, make_sender
from tests.conftest import ADMIN_ID
from tests.services.feed_kit import SEED, add_admins, rss
from tests.services.feed_server import FeedServer

pytestmark = pytest.mark.usefixtures("engine")
FEED = "/feed.xml"


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.stop()


async def _never(item: FeedItem, content: bytes, filename: str) -> None:
    raise AssertionError("no item is expected")


async def test_admins_are_told_in_their_language_once_and_when_it_works_again(
    app: App, session: AsyncSession, api: FaultySession, clock: Clock, server: FeedServer
) -> None:
    people = await add_admins(session, ADMIN_ID)
    # An address with & in it: shown escaped in the HTML notice.
    settings = app.settings.model_copy(update={"bulletin_feed_url": server.url(f"{FEED}?a=1&b=2")})
    server.status(FEED, 500)
    async with httpx.AsyncClient() as client:
        for hour in range(3):
            now = clock.now + timedelta(hours=hour)
            await poll_feed_once(settings, app.sessionmaker, client, _never, now)
        assert await make_sender(app, api, clock).run_once() == 2
        (chinese,) = api.texts(ADMIN_ID)
        assert (
            "自 2026-12-03 16:00 起无法读取《代表工作》订阅源：服务器返回 HTTP 状态码 500。"
            in chinese
        )
        assert "?a=1&amp;b=2" in chinese
        (english,) = api.texts(700_002)
        assert "The bulletin feed cannot be read since 2026-12-03 16:00" in english
        assert "the server answered with HTTP status 500" in english
        assert api.texts(700_003) == api.texts(700_004) == []

        server.feed(FEED, rss())
        clock.advance(hours=3)
        await poll_feed_once(settings, app.sessionmaker, client, _never, clock.now)
        assert await make_sender(app, api, clock).run_once() == 2
    assert api.texts(ADMIN_ID)[1].startswith(
        "✅《代表工作》订阅源已恢复（自 2026-12-03 16:00 起失败 3 次）"
    )
    assert api.texts(700_002)[1].startswith("✅ The bulletin feed works again")
    assert people["staff"].telegram_id not in {m.chat_id for m in api.requests}  # type: ignore[attr-defined]


async def test_the_loop_polls_at_once_and_stops_when_told(app: App, server: FeedServer) -> None:
    server.feed(FEED, rss(("2024-4", "/4.txt")))
    server.file("/4.txt", SEED, "text/plain")
    handed = asyncio.Event()

    async def importer(item: FeedItem, content: bytes, filename: str) -> None:
        assert (item.id, content, filename) == ("2024-4", SEED, "4.txt")
        handed.set()

    settings = app.settings.model_copy(update={"bulletin_feed_url": server.url(FEED)})
    watch = FeedWatch(settings, app.sessionmaker, importer)
    task = asyncio.create_task(watch.run())
    await asyncio.wait_for(handed.wait(), timeout=10)
    watch.stop()
    await asyncio.wait_for(task, timeout=10)
    assert task.done()
    assert not task.cancelled()


async def test_a_failed_poll_is_logged_and_the_loop_goes_on(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    polled = asyncio.Event()

    async def broken(*args: Any) -> PollResult:
        polled.set()
        raise RuntimeError("database away")

    monkeypatch.setattr(bot.feed_watch, "poll_feed_once", broken)
    settings = app.settings.model_copy(update={"bulletin_feed_url": "http://127.0.0.1:9/f"})
    watch = FeedWatch(settings, app.sessionmaker)
    task = asyncio.create_task(watch.run())
    await asyncio.wait_for(polled.wait(), timeout=10)
    # The error is handled in the same step as the poll: by now the loop waits for the next.
    assert not task.done()
    assert [r.getMessage() for r in caplog.records if r.name == "bot.feed_watch"] == [
        "bulletin feed poll failed"
    ]
    watch.stop()
    await asyncio.wait_for(task, timeout=10)
    assert task.exception() is None


async def test_serving_starts_the_watch_only_with_a_feed_address(
    app: App, server: FeedServer
) -> None:
    assert start_feed_watch(app) is None
    server.feed(FEED, rss(("2024-4", "/4.txt")))
    server.file("/4.txt", SEED, "text/plain")
    app.settings = app.settings.model_copy(update={"bulletin_feed_url": server.url(FEED)})
    started = start_feed_watch(app)
    assert started is not None
    watch, task = started
    watch.stop()
    await asyncio.wait_for(task, timeout=10)
    assert task.done()
    assert not task.cancelled()
    # The bulletin importer is plugged in (what it does: the test below).
    assert watch.on_new_issue is not bot.feed_watch.importer_not_installed


async def test_a_new_issue_in_the_feed_becomes_a_draft_and_the_office_is_told(
    app: App, session: AsyncSession, server: FeedServer
) -> None:
    await add_admins(session, ADMIN_ID)
    server.feed(FEED, rss(("2024-4", "/4.txt")))
    server.file("/4.txt", SEED, "text/plain")
    app.settings = app.settings.model_copy(update={"bulletin_feed_url": server.url(FEED)})
    started = start_feed_watch(app)
    assert started is not None
    watch, task = started
    try:
        async with asyncio.timeout(10):
            while (issue := await find_issue(session=session, year=2024, number=4)) is None:
                await session.rollback()
                await asyncio.sleep(0.05)
    finally:
        watch.stop()
        await asyncio.wait_for(task, timeout=10)
    assert issue.state == "draft"
    api, clock = FaultySession(), Clock(now=utcnow() + timedelta(seconds=1))
    assert await make_sender(app, api, clock).run_once() == 3
    told = {chat: api.texts(chat) for chat in (ADMIN_ID, 700_002, 700_003, 700_004)}
    assert "2024年第4期" in told[ADMIN_ID][0], told
    assert "草稿" in told[700_003][0]
    assert "draft" in told[700_002][0]
    assert told[700_004] == []  # a representative: not theirs to publish
