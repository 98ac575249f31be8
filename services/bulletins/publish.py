"""Publishing an issue from the chat: stage the file as a draft, correct what the parser guessed,
then deliver it once to an audience and mark it published, in one transaction.

The delivery's dedupe key is ``bulletin:<year>:<number>``: publishing again (a second press, a
second staff member) finds the delivery queued first and queues nothing. Its recipient rows are
the issue's audience (storage.bulletin_audience), which ``access.can_read`` checks.

The delivered card is the template ``ISSUE_TEMPLATE``, rendered per recipient in their language
from ``card_params``: the issue as it was published (a published issue cannot be replaced here).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins.archive import IssueView
from services.bulletins.errors import IssueNotFound
from services.bulletins.importing import OriginalFile, store_issue
from services.bulletins.model import ParsedIssue
from services.deliveries.enqueue import enqueue
from services.deliveries.model import Audience, TemplateContent
from services.errors import BadInput, PermissionDenied
from services.i18n_marks import N_
from storage.audit import record_audit
from storage.bulletin_audience import find_delivery, issue_delivery_key
from storage.bulletin_models import LINE_LIMIT, BulletinArticle, BulletinIssue, IssueState
from storage.bulletins import find_issue, get_issue, list_articles, list_issues, publish_issue
from storage.delivery_models import Delivery

ISSUE_TEMPLATE = "bulletin.issue"
YEARS = range(1949, 2101)
NUMBERS = range(1, 1000)


class IssuePublished(BadInput):
    message = N_(
        "Issue {number} of {year} has been published already and cannot be replaced. "
        "If the file is a different issue, correct its year or number in the file."
    )


class DraftExists(BadInput):
    message = N_("Issue {number} of {year} is stored already as a draft, not yet published.")


class BadValue(BadInput):
    year = N_("The year must be a number from {low} to {high}, such as 2024.")
    number = N_("The issue number must be a whole number from {low} to {high}, such as 4.")
    title = N_("The title must be one line of at most {limit} characters.")
    taken = N_("Issue {number} of {year} exists already; choose another year or number.")


class Field:
    year = "year"
    number = "number"
    title = "title"


FIELDS = (Field.year, Field.number, Field.title)


@dataclass(frozen=True)
class Published:
    issue: BulletinIssue
    delivery: Delivery
    # False: the issue had been published before; nothing was queued again.
    new: bool


def _ensure_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise PermissionDenied()


async def stage_issue(
    *,
    session: AsyncSession,
    actor: Actor,
    parsed: ParsedIssue,
    original: OriginalFile,
    replace: bool,
    now: datetime,
) -> BulletinIssue:
    """Store the parsed issue as a draft to preview. A published (year, number) is refused; a
    draft of it raises ``DraftExists`` unless ``replace``."""
    _ensure_staff(actor)
    existing = await find_issue(session=session, year=parsed.year, number=parsed.number)
    if existing is not None and existing.state != IssueState.draft:
        raise IssuePublished(year=parsed.year, number=parsed.number)
    if existing is not None and not replace:
        raise DraftExists(year=parsed.year, number=parsed.number)
    stored = await store_issue(
        session=session,
        parsed=parsed,
        original=original,
        replace=replace,
        now=now,
        actor_telegram_id=actor.telegram_id,
    )
    return stored.issue


async def draft(*, session: AsyncSession, actor: Actor, issue_id: int) -> IssueView:
    """The draft as its readers will see it once published (read receipts not yet taken)."""
    _ensure_staff(actor)
    issue = await get_issue(session=session, issue_id=issue_id)
    if issue is None or issue.state != IssueState.draft:
        raise IssueNotFound()
    articles = await list_articles(session=session, issue_id=issue_id)
    return IssueView(issue=issue, articles=articles, read=False, can_mark_read=True)


async def drafts(*, session: AsyncSession, actor: Actor, limit: int = 8) -> list[BulletinIssue]:
    """Drafts waiting to be published (imported from the command line or the feed), newest
    first."""
    _ensure_staff(actor)
    return await list_issues(session=session, state=IssueState.draft, offset=0, limit=limit)


async def correct(
    *, session: AsyncSession, actor: Actor, issue_id: int, field: str, value: str
) -> BulletinIssue:
    """Set the draft's year, number or title line to a typed value, checked first."""
    issue = (await draft(session=session, actor=actor, issue_id=issue_id)).issue
    text = value.strip()
    if field == Field.title:
        if not text or "\n" in text or len(text) > LINE_LIMIT:
            raise BadValue(BadValue.title, limit=LINE_LIMIT)
        issue.title = text
    else:
        allowed = YEARS if field == Field.year else NUMBERS
        if not text.isascii() or not text.isdigit() or int(text) not in allowed:
            message = BadValue.year if field == Field.year else BadValue.number
            raise BadValue(message, low=allowed[0], high=allowed[-1])
        year = int(text) if field == Field.year else issue.year
        number = int(text) if field == Field.number else issue.number
        other = await find_issue(session=session, year=year, number=number)
        if other is not None and other.id != issue.id:
            raise BadValue(BadValue.taken, year=year, number=number)
        issue.year, issue.number = year, number
    session.add(issue)
    await session.flush()
    await record_audit(
        session=session,
        actor_telegram_id=actor.telegram_id,
        action="bulletin.correct",
        details={"issue_id": issue.id, "field": field},
    )
    return issue


async def publish(
    *, session: AsyncSession, actor: Actor, issue_id: int, audience: Audience, now: datetime
) -> Published:
    """Queue the issue's card for ``audience`` (resolved within the actor's scope by the
    caller) and mark it published, in the caller's transaction."""
    _ensure_staff(actor)
    issue = await get_issue(session=session, issue_id=issue_id)
    if issue is None:
        raise IssueNotFound()
    key = issue_delivery_key(issue.year, issue.number)
    before = await find_delivery(session=session, dedupe_key=key)
    articles = await list_articles(session=session, issue_id=issue_id)
    delivery = await enqueue(
        session=session,
        dedupe_key=key,
        audience=audience,
        content=TemplateContent(ISSUE_TEMPLATE, card_params(issue, articles)),
        not_before=now,
        author_telegram_id=actor.telegram_id,
    )
    new = before is None
    if issue.state == IssueState.draft:
        await publish_issue(session=session, issue=issue, now=now)
    if new:
        await record_audit(
            session=session,
            actor_telegram_id=actor.telegram_id,
            action="bulletin.publish",
            target=f"delivery:{delivery.id}",
            details={"issue_id": issue.id, "year": issue.year, "number": issue.number},
        )
    return Published(issue=issue, delivery=delivery, new=new)


def card_params(issue: BulletinIssue, articles: list[BulletinArticle]) -> dict[str, Any]:
    """What the delivered card shows, as JSON: it is rendered at send time, without a query."""
    return {
        "issue_id": issue.id,
        "year": issue.year,
        "number": issue.number,
        "title": issue.title,
        "issued_on": issue.issued_on.isoformat(),
        "issuing_body": issue.issuing_body,
        "series": issue.series,
        "editors_note": issue.editors_note,
        "file_id": issue.file_id,
        "articles": [[article.id, article.heading] for article in articles],
    }


def view_from_params(params: Mapping[str, Any]) -> IssueView:
    """The card's issue rebuilt from ``card_params``, as a reader who has not yet read it."""
    issue_id = int(params["issue_id"])
    issue = BulletinIssue(
        id=issue_id,
        year=int(params["year"]),
        number=int(params["number"]),
        title=str(params["title"]),
        issued_on=date.fromisoformat(str(params["issued_on"])),
        issuing_body=str(params.get("issuing_body") or ""),
        series=str(params.get("series") or ""),
        editors_note=str(params.get("editors_note") or ""),
        file_id=params.get("file_id"),
        state=IssueState.published,
    )
    articles = [
        BulletinArticle(
            id=int(article_id), issue_id=issue_id, position=position, heading=heading, body=""
        )
        for position, (article_id, heading) in enumerate(params.get("articles") or [], 1)
    ]
    return IssueView(issue=issue, articles=articles, read=False, can_mark_read=True)
