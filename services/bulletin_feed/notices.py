"""Telling admins that the feed failed (once per failure streak) and that it works again.

The notices go through the delivery engine as templates, rendered in each admin's language
when sent; their dedupe keys name the streak's first failure, so two processes recording the
same streak, or a retried transaction, queue one notice.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from services.bulletin_feed.model import FailureReason
from services.config import Settings
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TemplateContent
from services.deliveries.templates import Recipient, Rendered, register
from services.i18n_marks import N_
from storage.bulletin_feed import admin_person_ids

log = logging.getLogger(__name__)

FAILED = "bulletin_feed.failed"
RECOVERED = "bulletin_feed.recovered"
# Ahead of bulk deliveries (DEFAULT_PRIORITY 100): an admin should hear of it soon.
PRIORITY = 10

REASONS = {
    FailureReason.unreachable: N_("the server cannot be reached (address, network or TLS)"),
    FailureReason.timeout: N_("the server did not answer in time"),
    FailureReason.http_status: N_("the server answered with HTTP status {detail}"),
    FailureReason.too_large: N_("the answer is larger than the size limit"),
    FailureReason.invalid: N_("the answer is not an RSS, Atom or JSON feed"),
    FailureReason.unsupported: N_("the file is neither text nor DOCX"),
    FailureReason.foreign_link: N_("the file is not on the feed's own server, or not over http(s)"),
}


def reason_text(reason: str, detail: str) -> str:
    known = {member.value: member for member in FailureReason}
    message = REASONS.get(known[reason]) if reason in known else None
    return _(message).format(detail=detail) if message else reason


def render_failed(params: Mapping[str, Any], recipient: Recipient) -> Rendered:
    text = _(
        "⚠️ The bulletin feed cannot be read since {since}: {reason}.\n"
        "{url}\n"
        "New issues published there are not imported until it works again; you will be told "
        "then. Check BULLETIN_FEED_URL and the office's website."
    ).format(
        since=html.escape(str(params.get("since", ""))),
        reason=html.escape(reason_text(str(params.get("reason")), str(params.get("detail", "")))),
        url=html.escape(str(params.get("url", ""))),
    )
    return Rendered(text)


def render_recovered(params: Mapping[str, Any], recipient: Recipient) -> Rendered:
    text = _(
        "✅ The bulletin feed works again (it failed from {since}, {failures} polls).\n{url}"
    ).format(
        since=html.escape(str(params.get("since", ""))),
        failures=int(params.get("failures", 0)),
        url=html.escape(str(params.get("url", ""))),
    )
    return Rendered(text)


register(FAILED, render_failed)
register(RECOVERED, render_recovered)


async def notify_failure(
    *,
    session: AsyncSession,
    settings: Settings,
    url: str,
    since: datetime,
    reason: FailureReason,
    detail: str,
    now: datetime,
) -> None:
    params = {"url": url, "since": _local(since, settings), "reason": reason.value}
    params["detail"] = detail if reason == FailureReason.http_status else ""
    await _to_admins(
        session=session,
        settings=settings,
        dedupe_key=f"feed-failure:{since.isoformat()}",
        content=TemplateContent(FAILED, params),
        now=now,
    )


async def notify_recovery(
    *,
    session: AsyncSession,
    settings: Settings,
    url: str,
    since: datetime,
    failures: int,
    now: datetime,
) -> None:
    params = {"url": url, "since": _local(since, settings), "failures": failures}
    await _to_admins(
        session=session,
        settings=settings,
        dedupe_key=f"feed-recovered:{since.isoformat()}",
        content=TemplateContent(RECOVERED, params),
        now=now,
    )


async def _to_admins(
    *,
    session: AsyncSession,
    settings: Settings,
    dedupe_key: str,
    content: TemplateContent,
    now: datetime,
) -> None:
    admins = await admin_person_ids(session=session, telegram_ids=settings.admin_ids)
    if not admins:
        # ADMIN_IDS of people not on the roster have no person to deliver to: the log says it.
        log.warning("no admin on the roster to tell about the bulletin feed (%s)", dedupe_key)
        return
    await enqueue(
        session=session,
        dedupe_key=dedupe_key,
        audience=People(admins),
        content=content,
        not_before=now,
        priority=PRIORITY,
    )


def _local(moment: datetime, settings: Settings) -> str:
    return moment.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M")
