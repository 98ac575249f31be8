"""Reading a feed's body: RSS 2.0, Atom 1.0, or a JSON list.

XML is parsed by defusedxml: a document declaring entities (the "billion laughs" bomb) or
fetching external ones is refused before anything is expanded, so memory stays bounded.

The JSON forms accepted (a JSON Feed 1.1 document is the second):

    [{"id": "2024-4", "title": "代表工作 2024年第4期", "url": "https://…/2024-4.docx",
      "published": "2024-03-21T09:00:00+08:00"}, …]
    {"items": [{"id": …, "title": …, "url": …, "date_published": …,
                "attachments": [{"url": …, "mime_type": …}]}]}

`id` is required (a string or a number); `url` is the page or the file; a `file` object
({"url", "type"}) or the first of `attachments` names the file when the page is not it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from services.bulletin_feed.model import FailureReason, FeedFailure, FeedItem

ATOM = "{http://www.w3.org/2005/Atom}"
# Items read from one feed; a feed is a list of recent issues, never thousands.
MAX_ITEMS = 500


def parse_feed(body: bytes, base_url: str) -> list[FeedItem]:
    """The items of the feed, in the feed's order; links made absolute against `base_url`.
    Raises FeedFailure(invalid) for anything that is not one of the three forms."""
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"[", b"{"):
        return list(_limit(_json_items(text, base_url)))
    try:
        root = fromstring(text, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedFailure(FailureReason.invalid, f"refused XML: {type(exc).__name__}") from None
    except (ParseError, ValueError) as exc:
        raise FeedFailure(FailureReason.invalid, f"not XML: {exc}") from None
    if root.tag == "rss":
        channel = root.find("channel")
        if channel is None:
            raise FeedFailure(FailureReason.invalid, "RSS without a channel")
        return list(_limit(_rss_item(item, base_url) for item in channel.iter("item")))
    if root.tag == f"{ATOM}feed":
        return list(_limit(_atom_entry(entry, base_url) for entry in root.iter(f"{ATOM}entry")))
    raise FeedFailure(FailureReason.invalid, f"neither RSS nor Atom: <{root.tag}>")


def _limit(items: Iterable[FeedItem | None]) -> Iterator[FeedItem]:
    count = 0
    for item in items:
        if item is None:
            continue
        yield item
        count += 1
        if count >= MAX_ITEMS:
            return


def _rss_item(item: Element, base_url: str) -> FeedItem | None:
    link = _url(_text(item, "link"), base_url)
    enclosure = item.find("enclosure")
    enclosure_url = _url(enclosure.get("url"), base_url) if enclosure is not None else None
    identity = _text(item, "guid") or link or enclosure_url
    if identity is None:
        return None
    return FeedItem(
        id=identity,
        title=_text(item, "title"),
        link=link,
        published=_rfc822(_text(item, "pubDate")),
        enclosure_url=enclosure_url,
        enclosure_type=enclosure.get("type") if enclosure is not None else None,
    )


def _atom_entry(entry: Element, base_url: str) -> FeedItem | None:
    link = enclosure_url = enclosure_type = None
    for element in entry.findall(f"{ATOM}link"):
        rel = element.get("rel", "alternate")
        if rel == "alternate" and link is None:
            link = _url(element.get("href"), base_url)
        elif rel == "enclosure" and enclosure_url is None:
            enclosure_url = _url(element.get("href"), base_url)
            enclosure_type = element.get("type")
    identity = _text(entry, f"{ATOM}id") or link or enclosure_url
    if identity is None:
        return None
    when = _text(entry, f"{ATOM}published") or _text(entry, f"{ATOM}updated")
    return FeedItem(
        id=identity,
        title=_text(entry, f"{ATOM}title"),
        link=link,
        published=_iso(when),
        enclosure_url=enclosure_url,
        enclosure_type=enclosure_type,
    )


def _json_items(text: bytes, base_url: str) -> Iterator[FeedItem | None]:
    try:
        document = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise FeedFailure(FailureReason.invalid, f"not JSON: {exc}") from None
    entries = document.get("items") if isinstance(document, dict) else document
    if not isinstance(entries, list):
        raise FeedFailure(FailureReason.invalid, "JSON is neither a list nor has items")
    for entry in entries:
        yield _json_item(entry, base_url) if isinstance(entry, dict) else None


def _json_item(entry: dict[str, Any], base_url: str) -> FeedItem | None:
    identity = entry.get("id")
    if not isinstance(identity, str | int) or isinstance(identity, bool) or identity == "":
        return None
    file = entry.get("file")
    attachments = entry.get("attachments")
    if not isinstance(file, dict) and isinstance(attachments, list) and attachments:
        first = attachments[0]
        if isinstance(first, dict):
            file = {"url": first.get("url"), "type": first.get("mime_type")}
    enclosure_url = enclosure_type = None
    if isinstance(file, dict):
        enclosure_url = _url(_str(file.get("url")), base_url)
        enclosure_type = _str(file.get("type"))
    return FeedItem(
        id=str(identity),
        title=_str(entry.get("title")),
        link=_url(_str(entry.get("url")), base_url),
        published=_iso(_str(entry.get("published") or entry.get("date_published"))),
        enclosure_url=enclosure_url,
        enclosure_type=enclosure_type,
    )


def _text(parent: Element, tag: str) -> str | None:
    element = parent.find(tag)
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _str(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _url(value: str | None, base_url: str) -> str | None:
    """An absolute http(s) address, or None: a file:// or javascript: link is not followed."""
    if not value:
        return None
    absolute = urljoin(base_url, value.strip())
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None


def _rfc822(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return _aware(moment)


def _iso(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return _aware(moment)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
