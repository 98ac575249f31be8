"""Reading feeds: the three forms, links made absolute, what is skipped, what is refused."""

from __future__ import annotations

import tracemalloc
from datetime import UTC, datetime

import pytest

from services.bulletin_feed.model import FailureReason, FeedFailure
from services.bulletin_feed.parse import parse_feed
from tests.services.feed_kit import BILLION_LAUGHS

BASE = "https://rd.example.gov.cn/feeds/daibiao.xml"


def test_rss_items_with_and_without_guid_and_a_link_that_is_not_followed() -> None:
    body = """<?xml version="1.0" encoding="utf-8"?>
    <rss version="2.0"><channel><title>代表工作</title>
      <item><title>第4期</title><link>/issues/2024-4.docx</link>
        <pubDate>Thu, 21 Mar 2024 09:00:00 +0800</pubDate></item>
      <item><title>第5期</title><guid isPermaLink="false">dbgz-2024-5</guid>
        <link>javascript:alert(1)</link>
        <enclosure url="files/5.txt" type="text/plain" length="10"/></item>
      <item><title>nothing to take</title></item>
    </channel></rss>""".encode()
    first, second = parse_feed(body, BASE)
    assert first.id == first.link == "https://rd.example.gov.cn/issues/2024-4.docx"
    assert first.published == datetime(2024, 3, 21, 1, 0, tzinfo=UTC)
    assert first.document_url == first.link
    assert (second.id, second.link) == ("dbgz-2024-5", None)
    assert second.document_url == "https://rd.example.gov.cn/feeds/files/5.txt"
    assert second.enclosure_type == "text/plain"


def test_atom_entry_prefers_the_enclosure_to_the_page() -> None:
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>tag:rd,2024:4</id><title>Issue 4</title>
        <link href="https://rd.example.gov.cn/4.html"/>
        <link rel="enclosure" href="/4.docx"
          type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"/>
        <published>2024-03-21T09:00:00+08:00</published></entry></feed>"""
    (entry,) = parse_feed(body, BASE)
    assert (entry.id, entry.title, entry.link) == (
        "tag:rd,2024:4",
        "Issue 4",
        "https://rd.example.gov.cn/4.html",
    )
    assert entry.document_url == "https://rd.example.gov.cn/4.docx"
    assert entry.published == datetime(2024, 3, 21, 1, 0, tzinfo=UTC)


def test_json_feed_document_with_attachments() -> None:
    body = """{"version": "https://jsonfeed.org/version/1.1", "items": [
      {"id": "2024-6", "title": "第6期", "url": "https://rd.example.gov.cn/6.html",
       "date_published": "2024-06-01T08:00:00Z",
       "attachments": [{"url": "/6.md", "mime_type": "text/markdown"}]},
      {"id": true, "url": "/skipped"}, "not an object"]}""".encode()
    (item,) = parse_feed(body, BASE)
    assert item.document_url == "https://rd.example.gov.cn/6.md"
    assert item.enclosure_type == "text/markdown"
    assert item.published == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>not a feed</body></html>", b'{"data": 1}', b"[1, 2", b"<rss/>"],
)
def test_what_is_not_a_feed_is_refused(body: bytes) -> None:
    with pytest.raises(FeedFailure) as raised:
        parse_feed(body, BASE)
    assert raised.value.reason == FailureReason.invalid


def test_billion_laughs_is_refused_before_anything_is_expanded() -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FeedFailure) as raised:
            parse_feed(BILLION_LAUGHS.encode(), BASE)
        _size, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert raised.value.reason == FailureReason.invalid
    assert raised.value.detail == "refused XML: EntitiesForbidden"
    assert peak < 2_000_000
