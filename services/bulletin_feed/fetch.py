"""Fetching with httpx: a conditional GET of the feed, then an item's file; every body is
streamed and reading stops past its size limit, so no response is ever held whole unbounded.

An item's file is fetched only from the feed's own host and port, over http or https, and so is
every redirect on the way to it (followed here, one hop at a time): a feed, or a link in it, may
not send the bot to another server or into the deployment's own network."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from email.message import Message
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import httpx

from services.bulletin_feed.model import FailureReason, FeedFailure

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What an issue's file may be, by content type and by file name: text or Markdown, or DOCX.
TEXT_TYPES = {"text/plain": ".txt", "text/markdown": ".md", "text/x-markdown": ".md", DOCX: ".docx"}
SUFFIXES = {".txt", ".md", ".markdown", ".docx"}
# A server that says nothing useful about the type: judged by the name and the first bytes.
VAGUE_TYPES = {"", "application/octet-stream", "binary/octet-stream", "application/zip"}
NAME_LIMIT = 128
MAX_REDIRECTS = 5
SCHEMES = ("http", "https")
# Compressed bodies are not asked for; one sent anyway is inflated here, never past the limit
# (httpx would inflate a whole chunk at once: a few kilobytes can make gigabytes).
HEADERS = {"Accept-Encoding": "identity"}
COMPRESSED = {"gzip", "x-gzip", "deflate"}
# zlib's window bits plus 32: a gzip or a zlib header, recognised either way.
ANY_HEADER = zlib.MAX_WBITS | 32
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


@dataclass(frozen=True)
class Validators:
    """What the feed's last full answer said, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FeedBody:
    body: bytes
    validators: Validators


@dataclass(frozen=True)
class Document:
    content: bytes
    filename: str
    content_type: str


async def fetch_feed(
    client: httpx.AsyncClient, url: str, *, validators: Validators, max_bytes: int
) -> FeedBody | None:
    """The feed's body and its new validators; None if the server answered 304 Not Modified."""
    headers = {**HEADERS, "Accept": FEED_ACCEPT}
    if validators.etag:
        headers["If-None-Match"] = validators.etag
    if validators.last_modified:
        headers["If-Modified-Since"] = validators.last_modified
    try:
        async with client.stream("GET", url, headers=headers) as response:
            if response.status_code == httpx.codes.NOT_MODIFIED:
                return None
            body = await _read(response, max_bytes)
            new = Validators(
                etag=response.headers.get("etag"),
                last_modified=response.headers.get("last-modified"),
            )
    except httpx.TimeoutException as exc:
        raise FeedFailure(FailureReason.timeout, type(exc).__name__) from None
    except httpx.HTTPError as exc:
        raise FeedFailure(FailureReason.unreachable, f"{type(exc).__name__}: {exc}") from None
    return FeedBody(body, new)


def on_feed_host(url: str, feed_url: str) -> bool:
    """``url`` is http(s), without credentials, on the host and port of ``feed_url`` (a default
    port is the same for http and https, so an http feed may link its files over https)."""
    try:
        link, feed = httpx.URL(url), httpx.URL(feed_url)
    except httpx.InvalidURL:
        return False
    if link.scheme not in SCHEMES or link.userinfo or not link.host:
        return False
    return (link.host, link.port) == (feed.host, feed.port)


async def fetch_document(
    client: httpx.AsyncClient, url: str, *, max_bytes: int, fallback_name: str, feed_url: str
) -> Document:
    """An item's file, if it is text, Markdown or DOCX on the feed's own host; FeedFailure
    otherwise."""
    target = url
    try:
        for _hop in range(MAX_REDIRECTS + 1):
            if not on_feed_host(target, feed_url):
                raise FeedFailure(FailureReason.foreign_link, _without_credentials(target))
            request = client.stream("GET", target, headers=HEADERS, follow_redirects=False)
            async with request as response:
                if response.next_request is not None:
                    target = str(response.next_request.url)
                    continue
                body = await _read(response, max_bytes)
                content_type = _media_type(response.headers.get("content-type"))
                name = _name(response.headers.get("content-disposition"), str(response.url))
                break
        else:
            raise FeedFailure(FailureReason.unreachable, f"more than {MAX_REDIRECTS} redirects")
    except httpx.TimeoutException as exc:
        raise FeedFailure(FailureReason.timeout, type(exc).__name__) from None
    except httpx.HTTPError as exc:
        raise FeedFailure(FailureReason.unreachable, f"{type(exc).__name__}: {exc}") from None
    suffix = _suffix(content_type, name, body)
    if suffix is None:
        raise FeedFailure(FailureReason.unsupported, content_type or "no content type")
    stem = PurePosixPath(name).stem if name else fallback_name
    return Document(body, f"{stem[:NAME_LIMIT]}{suffix}", content_type)


def _without_credentials(url: str) -> str:
    """The address as the log and the database may keep it: no user or password in it."""
    return re.sub(r"^([^/?#]*//)[^/?#@]*@", r"\1", url)[:NAME_LIMIT]


async def _read(response: httpx.Response, max_bytes: int) -> bytes:
    if response.status_code != httpx.codes.OK:
        raise FeedFailure(FailureReason.http_status, str(response.status_code))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FeedFailure(FailureReason.too_large, f"{declared} bytes declared")
    encoding = response.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in COMPRESSED | {"identity", ""}:
        raise FeedFailure(FailureReason.invalid, f"content encoding {encoding}")
    inflate = zlib.decompressobj(ANY_HEADER) if encoding in COMPRESSED else None
    chunks: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        chunk = raw
        if inflate is not None:
            try:
                chunk = inflate.decompress(raw, max_bytes - size + 1)
            except zlib.error as exc:
                raise FeedFailure(FailureReason.invalid, f"bad {encoding} body: {exc}") from None
            if inflate.unconsumed_tail:
                raise FeedFailure(FailureReason.too_large, f"more than {max_bytes} bytes inflated")
        size += len(chunk)
        if size > max_bytes:
            raise FeedFailure(FailureReason.too_large, f"more than {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def _name(disposition: str | None, url: str) -> str:
    """The file's name as the server gives it, else the last part of its address; without
    any folder part, so it cannot point anywhere."""
    name = ""
    if disposition:
        message = Message()
        message["content-disposition"] = disposition
        name = message.get_filename() or ""
    if not name:
        name = unquote(PurePosixPath(urlsplit(url).path).name)
    name = re.sub(r"[\x00-\x1f/\\]", "_", name.replace("\\", "/").rsplit("/", 1)[-1]).strip(". ")
    return name[:NAME_LIMIT]


def _suffix(content_type: str, name: str, body: bytes) -> str | None:
    by_name = PurePosixPath(name).suffix.lower() if name else ""
    if content_type in TEXT_TYPES:
        wanted = TEXT_TYPES[content_type]
        if wanted == ".md" and by_name == ".markdown":
            return by_name
        return wanted
    if content_type in VAGUE_TYPES and by_name in SUFFIXES:
        is_zip = body.startswith(b"PK\x03\x04")
        if (by_name == ".docx") == is_zip:
            return by_name
    return None
