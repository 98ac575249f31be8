"""The feed watch against a local HTTP server: new items handed over once, 304, refusals,
and a broken feed told to admins once per failure streak."""

from __future__ import annotations

import asyncio
import gzip
import logging
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta

import httpx
import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import select

from services.bulletin_feed.model import FailureReason, FeedItemRejected, digest
from services.bulletin_feed.poll import PollResult, poll_feed_once
from services.config import Settings
from storage.db import create_sessionmaker
from storage.feed_models import FeedItemSeen, FeedState
from tests.conftest import ADMIN_ID
from tests.services.feed_kit import (
    BILLION_LAUGHS,
    DOCX_BYTES,
    SEED,
    START,
    Importer,
    add_admins,
    atom,
    notices,
    rss,
)
from tests.services.feed_server import FeedServer

FEED = "/feed.xml"
Poll = Callable[..., Awaitable[PollResult]]


@pytest.fixture
async def server() -> AsyncIterator[FeedServer]:
    server = FeedServer()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5, follow_redirects=True) as client:
        yield client


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
def feed_settings(settings: Settings, server: FeedServer) -> Settings:
    return settings.model_copy(update={"bulletin_feed_url": server.url(FEED)})


@pytest.fixture
def importer() -> Importer:
    return Importer()


@pytest.fixture
def poll(
    feed_settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    client: httpx.AsyncClient,
    importer: Importer,
) -> Poll:
    """One poll at START + `hours`, with the settings changed as asked."""

    async def run(hours: float = 0, **changes: object) -> PollResult:
        changed = feed_settings.model_copy(update=changes)
        now = START + timedelta(hours=hours)
        return await poll_feed_once(changed, sessions, client, importer, now)

    return run


async def _state(session: AsyncSession, url: str) -> FeedState:
    found = await session.scalars(select(FeedState).where(FeedState.feed_key == digest(url)))
    return found.one()


async def test_a_new_item_is_handed_over_once_then_304_sends_nothing(
    server: FeedServer, poll: Poll, importer: Importer, session: AsyncSession
) -> None:
    server.feed(FEED, rss(("2024-4", "/files/2024-4.txt")), etag='"v1"')
    server.file("/files/2024-4.txt", SEED, "text/plain; charset=utf-8")

    result = await poll()
    assert importer.calls == [("2024-4", SEED, "2024-4.txt")]
    assert (result.imported, result.refused, result.deferred) == (["2024-4"], [], [])
    assert server.requests_to(FEED)[0].if_none_match is None

    again = await poll(hours=1)
    sent = server.requests_to(FEED)[-1]
    assert (sent.if_none_match, sent.if_modified_since) == ('"v1"', "Thu, 21 Mar 2024 01:00:00 GMT")
    assert again.not_modified
    assert importer.calls == [("2024-4", SEED, "2024-4.txt")]
    assert len(server.requests_to("/files/2024-4.txt")) == 1
    state = await _state(session, server.url(FEED))
    assert (state.etag, state.failure_streak, state.last_success_at) == (
        '"v1"',
        0,
        START + timedelta(hours=1),
    )
    assert await notices(session) == {}


async def test_an_item_seen_before_is_not_handed_over_again(
    server: FeedServer, poll: Poll, importer: Importer
) -> None:
    # No validators: the server sends the whole feed every time.
    server.feed(FEED, atom(("urn:issue:2024-4", "/f/4.txt")), content_type="application/atom+xml")
    server.file("/f/4.txt", SEED, "text/plain")
    server.file(
        "/f/5.txt", b"# \xe4\xbb\xa3\xe8\xa1\xa8\xe5\xb7\xa5\xe4\xbd\x9c 5", "text/markdown"
    )
    await poll()
    await poll(hours=1)
    assert importer.ids == ["urn:issue:2024-4"]

    both = atom(("urn:issue:2024-5", "/f/5.txt"), ("urn:issue:2024-4", "/f/4.txt"))
    server.feed(FEED, both, content_type="application/atom+xml")
    result = await poll(hours=2)
    assert importer.ids == ["urn:issue:2024-4", "urn:issue:2024-5"]
    assert importer.calls[1][2] == "5.md"
    assert result.imported == ["urn:issue:2024-5"]
    assert len(server.requests_to("/f/4.txt")) == 1


async def test_a_json_list_with_a_docx_named_by_the_server(
    server: FeedServer, poll: Poll, importer: Importer
) -> None:
    listing = (
        '[{"id": 7, "title": "代表工作 2024年第7期", "url": "/files/7",'
        ' "published": "2024-07-01T09:00:00+08:00"},'
        ' {"title": "no id: skipped", "url": "/files/x"}]'
    )
    server.feed(FEED, listing, content_type="application/json")
    name = "attachment; filename*=UTF-8''%E4%BB%A3%E8%A1%A8%E5%B7%A5%E4%BD%9C.docx"
    server.file("/files/7", DOCX_BYTES, "application/octet-stream", **{"Content-Disposition": name})
    result = await poll()
    assert importer.calls == [("7", DOCX_BYTES, "代表工作.docx")]
    assert result.imported == ["7"]


async def test_a_web_page_or_an_oversize_file_is_refused_for_good(
    server: FeedServer, poll: Poll, importer: Importer, session: AsyncSession
) -> None:
    server.feed(FEED, rss(("page", "/page.html"), ("big", "/big.txt")))
    server.file("/page.html", b"<html>issue</html>", "text/html")
    server.file("/big.txt", b"x" * 70_000, "text/plain")
    result = await poll(bulletin_file_max_bytes=65_536)
    assert importer.calls == []
    assert sorted(result.refused) == ["big", "page"]
    await poll(hours=1, bulletin_file_max_bytes=65_536)
    assert len(server.requests_to("/big.txt")) == len(server.requests_to("/page.html")) == 1
    seen = (await session.scalars(select(FeedItemSeen))).all()
    errors = {row.item_id: row.error for row in seen}
    assert errors["big"] is not None
    assert errors["big"].startswith("too_large")
    assert errors["page"] == "unsupported: text/html"


async def test_a_file_elsewhere_than_on_the_feeds_host_is_refused_unfetched_and_logged(
    server: FeedServer,
    poll: Poll,
    importer: Importer,
    session: AsyncSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger="services.bulletin_feed")
    other = FeedServer()
    await other.start()
    try:
        port = server.port
        server.feed(
            FEED,
            rss(
                ("other-port", other.url("/4.txt")),
                ("other-name", f"http://localhost:{port}/4.txt"),
                ("credentials", f"http://office:secret@127.0.0.1:{port}/4.txt"),
                ("redirected-away", "/away"),
                ("redirected-to-a-file", "/local"),
                ("moved-here", "/moved"),
            ),
        )
        for where in (server, other):
            where.file("/4.txt", SEED, "text/plain")
        server.redirect("/away", other.url("/4.txt"))
        server.redirect("/local", "file:///etc/passwd")
        server.redirect("/moved", "/4.txt")
        result = await poll()
        seen = other.seen
    finally:
        await other.stop()
    # A redirect within the feed's host is followed; nothing else is fetched.
    assert importer.calls == [("moved-here", SEED, "4.txt")]
    assert seen == []
    assert [hit.path for hit in server.seen] == [FEED, "/away", "/local", "/moved", "/4.txt"]
    assert sorted(result.refused) == [
        "credentials",
        "other-name",
        "other-port",
        "redirected-away",
        "redirected-to-a-file",
    ]
    rows = (await session.scalars(select(FeedItemSeen))).all()
    errors = {row.item_id: row.error or "" for row in rows}
    assert errors["other-port"] == f"foreign_link: {other.url('/4.txt')}"
    assert errors["redirected-to-a-file"].startswith("foreign_link: file://")
    # The log and the database keep no password from a link.
    assert errors["credentials"] == f"foreign_link: http://127.0.0.1:{port}/4.txt"
    assert not any("secret" in record.getMessage() for record in caplog.records)
    assert errors["moved-here"] == ""
    logged = [r.getMessage() for r in caplog.records if "foreign_link" in r.getMessage()]
    assert len(logged) == 5
    assert f"'other-name' refused: foreign_link: http://localhost:{port}/4.txt" in logged[1]


async def test_an_import_that_fails_for_now_is_tried_again_and_a_rejected_file_is_not(
    server: FeedServer, poll: Poll, importer: Importer
) -> None:
    server.feed(FEED, rss(("2024-4", "/f/4.txt")), etag='"v1"')
    server.file("/f/4.txt", SEED, "text/plain")
    importer.fail = RuntimeError("database away")
    first = await poll()
    assert first.deferred == ["2024-4"]
    importer.fail = FeedItemRejected("no issue number")
    second = await poll(hours=1)
    # The validators of a feed whose item was left were not kept: no 304 could hide it.
    assert server.requests_to(FEED)[-1].if_none_match is None
    assert second.refused == ["2024-4"]
    await poll(hours=2)
    assert importer.ids == ["2024-4", "2024-4"]
    assert server.requests_to(FEED)[-1].if_none_match == '"v1"'


async def test_a_poll_takes_at_most_its_share_of_new_items_oldest_first(
    server: FeedServer, poll: Poll, importer: Importer
) -> None:
    listing = ",".join(
        f'{{"id": "n{n}", "url": "/f.txt", "published": "2024-0{n}-01T00:00:00Z"}}'
        for n in (3, 1, 2)
    )
    server.feed(FEED, f"[{listing}]", content_type="application/json")
    server.file("/f.txt", SEED, "text/plain")
    first = await poll(bulletin_feed_max_new=2)
    assert (importer.ids, first.deferred) == (["n1", "n2"], ["n3"])
    await poll(hours=1, bulletin_feed_max_new=2)
    assert importer.ids == ["n1", "n2", "n3"]


async def test_a_broken_feed_is_told_to_admins_once_per_streak_then_its_recovery(
    server: FeedServer,
    poll: Poll,
    importer: Importer,
    session: AsyncSession,
    caplog: pytest.LogCaptureFixture,
) -> None:
    people = await add_admins(session, ADMIN_ID)
    admins = sorted([people["by_setting"].id or 0, people["by_role"].id or 0])
    caplog.set_level(logging.DEBUG, logger="services.bulletin_feed")
    server.status(FEED, 500)

    failed = await poll()
    assert failed.failure is not None
    assert (failed.failure.reason, failed.failure.detail) == (FailureReason.http_status, "500")
    server.feed(FEED, "<rss><channel><item>garbage")
    garbage = await poll(hours=1)
    assert garbage.failure is not None
    assert garbage.failure.reason == FailureReason.invalid
    server.feed(FEED, "this is not a feed at all")
    await poll(hours=2)
    first = f"feed-failure:{START.isoformat()}"
    assert await notices(session) == {first: admins}
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len([r for r in warnings if "cannot be read" in r.getMessage()]) == 1
    state = await _state(session, server.url(FEED))
    assert (state.failure_streak, state.failing_since) == (3, START)
    assert state.last_error is not None
    assert state.last_error.startswith("invalid")

    server.feed(FEED, rss())
    assert (await poll(hours=3)).failure is None
    await poll(hours=4)
    recovered = f"feed-recovered:{START.isoformat()}"
    assert await notices(session) == {first: admins, recovered: admins}

    server.status(FEED, 503)
    await poll(hours=5)
    again = f"feed-failure:{(START + timedelta(hours=5)).isoformat()}"
    assert list(await notices(session)) == [first, recovered, again]
    assert importer.calls == []


async def test_an_unreachable_port_and_a_server_that_never_answers_are_failures(
    server: FeedServer, poll: Poll, session: AsyncSession
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{closed_port}/feed.xml"
    result = await poll(bulletin_feed_url=url)
    assert result.failure is not None
    assert result.failure.reason == FailureReason.unreachable
    assert (await _state(session, url)).failure_streak == 1

    answer = asyncio.Event()

    async def silent(request: web.Request) -> web.StreamResponse:
        await answer.wait()
        return web.Response(text="late")

    server.routes[FEED] = silent
    try:
        slow = await poll(bulletin_feed_timeout_seconds=0.3)
    finally:
        answer.set()
    assert slow.failure is not None
    assert slow.failure.reason == FailureReason.timeout


async def test_an_endless_feed_is_cut_off_at_the_limit(
    server: FeedServer, poll: Poll, session: AsyncSession
) -> None:
    server.endless(FEED)
    result = await poll(bulletin_feed_max_bytes=65_536)
    assert result.failure is not None
    assert result.failure.reason == FailureReason.too_large
    # The server could write into socket buffers for a while, never the 200 MB it had.
    assert server.streamed < 20_000_000

    server.feed(FEED, rss(*((f"id{n}", "/f.txt") for n in range(2000))))
    declared = await poll(hours=1, bulletin_feed_max_bytes=65_536)
    assert declared.failure is not None
    assert "declared" in declared.failure.detail


async def test_a_billion_laughs_feed_is_refused_and_told(
    server: FeedServer, poll: Poll, importer: Importer, session: AsyncSession
) -> None:
    await add_admins(session, ADMIN_ID)
    server.feed(FEED, BILLION_LAUGHS)
    result = await poll()
    assert result.failure is not None
    assert result.failure.reason == FailureReason.invalid
    assert "EntitiesForbidden" in result.failure.detail
    assert list(await notices(session)) == [f"feed-failure:{START.isoformat()}"]
    assert importer.calls == []


async def test_no_feed_url_no_request(
    settings: Settings, sessions: async_sessionmaker[AsyncSession], server: FeedServer
) -> None:
    async with httpx.AsyncClient() as client:
        result = await poll_feed_once(settings, sessions, client, Importer(), START)
    assert result == PollResult()
    assert server.seen == []


async def test_an_item_another_poll_is_importing_is_left_to_it_and_not_hidden_by_a_304(
    server: FeedServer, poll: Poll, importer: Importer, session: AsyncSession
) -> None:
    server.feed(FEED, rss(("2024-4", "/4.txt")), etag='"v1"')
    server.file("/4.txt", SEED, "text/plain")
    feed_key = digest(server.url(FEED))
    session.add(
        FeedItemSeen(
            feed_key=feed_key,
            item_key=digest("2024-4"),
            item_id="2024-4",
            claimed_until=START + timedelta(minutes=5),
        )
    )
    await session.commit()
    result = await poll()
    assert (importer.calls, result.deferred) == ([], ["2024-4"])
    # Its claim lapsed (that poll died): the next poll fetches the feed whole and takes it.
    await poll(hours=1)
    assert server.requests_to(FEED)[-1].if_none_match is None
    assert importer.ids == ["2024-4"]


async def test_a_compressed_feed_is_read_and_a_compression_bomb_is_cut_off(
    server: FeedServer, poll: Poll, importer: Importer
) -> None:
    gzipped = {"Content-Encoding": "gzip"}
    server.file(FEED, gzip.compress(rss(("2024-4", "/4.txt")).encode()), "text/xml", **gzipped)
    server.file("/4.txt", gzip.compress(SEED), "text/plain", **gzipped)
    assert (await poll()).imported == ["2024-4"]
    assert importer.calls == [("2024-4", SEED, "4.txt")]

    bomb = gzip.compress(b"<" * 50_000_000)
    assert len(bomb) < 65_536
    server.file(FEED, bomb, "text/xml", **gzipped)
    result = await poll(hours=1, bulletin_feed_max_bytes=65_536)
    assert result.failure is not None
    assert result.failure.detail == "more than 65536 bytes inflated"
