"""A new item of the bulletin feed becomes a draft issue, and the office's staff are told.

Plugged into the feed watch (services.bulletin_feed) as its `on_new_issue`: a file that is not an
issue is refused for good (FeedItemRejected); an issue already there (imported by hand, or from
the feed before) is left as it is. Nobody else sees a draft until staff publish it.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Collection, Mapping
from datetime import datetime
from typing import Any

from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.bulletin_feed.model import FeedItem, FeedItemRejected
from services.bulletins.errors import IssueExists, IssueFileError
from services.bulletins.files import read_issue_file
from services.bulletins.importing import store_issue
from services.dates import format_date
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TemplateContent
from services.deliveries.templates import Recipient, Rendered, register
from storage.bulletin_feed import admin_person_ids
from storage.staff import office_staff_person_ids

log = logging.getLogger(__name__)

NEW_DRAFT = "bulletin_feed.new_draft"
# Ahead of bulk deliveries: staff should hear of it soon.
PRIORITY = 10


async def import_feed_item(
    *,
    sessionmaker: async_sessionmaker[AsyncSession],
    item: FeedItem,
    content: bytes,
    filename: str,
    now: datetime,
    admin_ids: Collection[int] = (),
) -> int | None:
    """Store the item's issue as a draft and queue the notice to the office's staff and admins
    (`admin_ids`: ADMIN_IDS); the issue's id, or None if that (year, number) was there already."""
    try:
        issue_file = await asyncio.to_thread(read_issue_file, content, filename)
    except IssueFileError as exc:
        raise FeedItemRejected(exc.message.format(**exc.params)) from exc
    parsed = issue_file.issue
    async with sessionmaker.begin() as session:
        try:
            stored = await store_issue(
                session=session, parsed=parsed, original=None, replace=False, now=now
            )
        except IssueExists:
            log.info(
                "feed item %s: issue %d/%d is there already", item.id, parsed.year, parsed.number
            )
            return None
        staff = set(await office_staff_person_ids(session=session))
        staff.update(await admin_person_ids(session=session, telegram_ids=admin_ids))
        if staff:
            params = {
                "year": parsed.year,
                "number": parsed.number,
                "date": parsed.issued_on.isoformat(),
                "articles": len(parsed.articles),
                "title": item.title or "",
            }
            await enqueue(
                session=session,
                dedupe_key=f"bulletin-draft:{parsed.year}:{parsed.number}",
                audience=People(sorted(staff)),
                content=TemplateContent(NEW_DRAFT, params),
                not_before=now,
                priority=PRIORITY,
            )
        else:
            log.warning(
                "no office staff on the roster to tell of draft %d/%d", parsed.year, parsed.number
            )
        return stored.issue.id


def render_new_draft(params: Mapping[str, Any], recipient: Recipient) -> Rendered:
    day = datetime.fromisoformat(str(params["date"])).date()
    text = _(
        "📰 A new bulletin issue was found in the feed and saved as a draft: {year}, "
        "No. {number}, of {date}, {articles} articles.\n"
        "Nobody receives it until staff publish it."
    ).format(
        year=int(params["year"]),
        number=int(params["number"]),
        date=format_date(day, recipient.locale),
        articles=int(params["articles"]),
    )
    if params.get("title"):
        text += "\n" + html.escape(str(params["title"]))
    return Rendered(text)


register(NEW_DRAFT, render_new_draft)
