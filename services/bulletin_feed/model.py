"""What a feed holds and how reading it fails, as the rest of the watch sees them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed. `id` is the feed's own (RSS guid, Atom id, JSON id), else its link;
    `enclosure_url` is the attached file when the feed names one, which is fetched rather than
    `link` (often a web page)."""

    id: str
    title: str | None = None
    link: str | None = None
    published: datetime | None = None
    enclosure_url: str | None = None
    enclosure_type: str | None = None

    @property
    def document_url(self) -> str | None:
        return self.enclosure_url or self.link

    @property
    def key(self) -> str:
        return digest(self.id)


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class FailureReason(StrEnum):
    """Why a feed or a file could not be read; each has a sentence for admins (notices.py)."""

    unreachable = "unreachable"  # DNS, refused connection, TLS, too many redirects
    timeout = "timeout"
    http_status = "http_status"  # any status but 200 (and 304 for the feed)
    too_large = "too_large"
    invalid = "invalid"  # not RSS, Atom or a JSON list; or an XML bomb, refused
    unsupported = "unsupported"  # an item's file that is neither text nor DOCX
    # An item's file (or a redirect on the way to it) elsewhere than on the feed's own host and
    # port, or not over http(s): never fetched.
    foreign_link = "foreign_link"


class FeedFailure(Exception):
    """Reading the feed or a file failed; `detail` is for the log (and an HTTP status)."""

    def __init__(self, reason: FailureReason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail

    @property
    def permanent(self) -> bool:
        """For an item's file: retrying cannot help (the file itself is wrong)."""
        return self.reason in (
            FailureReason.too_large,
            FailureReason.unsupported,
            FailureReason.invalid,
            FailureReason.foreign_link,
        )


class FeedItemRejected(Exception):
    """Raised by `on_new_issue` when the file is not an issue it can import (malformed,
    empty): the item is recorded as refused and not offered again. Any other exception from
    the callback leaves the item to be tried again at the next poll."""


class ImporterUnavailable(Exception):
    """Raised by `on_new_issue` when it cannot import anything now (none is installed yet):
    the item waits for the next poll, logged without a traceback."""
