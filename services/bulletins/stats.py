"""For staff: who of an issue's audience has read it, within their scope, and a reminder to the
others through the delivery engine, at most one a day per issue and scope.

The reminder's key names the day and the staff member's scope, so that staff of another scope
can remind their own people the same day; someone within both scopes, reminded once that day,
is not reminded again."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins.archive import readable_issue
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TemplateContent
from services.errors import DomainError, PermissionDenied
from services.i18n_marks import N_
from storage.audit import record_audit
from storage.bulletin_audience import (
    AudienceMember,
    find_delivery,
    issue_audience,
    issue_delivery_key,
    recipients_of_keys_starting,
)
from storage.bulletin_models import BulletinIssue
from storage.delivery_models import Delivery

__all__ = ["AudienceMember", "ReadCount", "Reminded", "read_count", "remind_unread"]

REMIND_TEMPLATE = "bulletin.remind"


class NobodyUnread(DomainError):
    message = N_("Everyone who received this issue in your scope has read it; nobody to remind.")


class RemindedToday(DomainError):
    message = N_(
        "A reminder about this issue was sent today already; you can send another tomorrow."
    )


@dataclass(frozen=True)
class ReadCount:
    issue: BulletinIssue
    # The issue's audience within the staff member's scope.
    total: int
    read: int
    # Those of them who have not tapped 已阅, by name.
    unread: list[AudienceMember]


@dataclass(frozen=True)
class Reminded:
    delivery: Delivery
    count: int


async def read_count(*, session: AsyncSession, actor: Actor, issue_id: int) -> ReadCount:
    if not actor.is_staff:
        raise PermissionDenied()
    issue = await readable_issue(session=session, actor=actor, issue_id=issue_id)
    members = await issue_audience(session=session, issue=issue, scope=actor.scope)
    unread = [member for member in members if member.read_at is None]
    return ReadCount(
        issue=issue, total=len(members), read=len(members) - len(unread), unread=unread
    )


# Delegation ids written out up to this length; a longer scope is named by its digest.
SCOPE_SPELLED = 48


def remind_prefix(issue: BulletinIssue, now: datetime) -> str:
    return f"{issue_delivery_key(issue.year, issue.number)}:remind:{now.date().isoformat()}:"


def scope_part(scope: Collection[int] | None) -> str:
    """The scope as a part of a key: ``all`` for admins, else its delegation ids, sorted."""
    if scope is None:
        return "all"
    spelled = "d" + "-".join(str(delegation) for delegation in sorted(scope))
    if len(spelled) <= SCOPE_SPELLED:
        return spelled
    return "h" + hashlib.sha256(spelled.encode()).hexdigest()[:32]


def remind_key(issue: BulletinIssue, now: datetime, scope: Collection[int] | None) -> str:
    return remind_prefix(issue, now) + scope_part(scope)


async def remind_unread(
    *, session: AsyncSession, actor: Actor, issue_id: int, now: datetime
) -> Reminded:
    """Queue a reminder to the unread of the actor's scope; one a day per issue and scope (the
    key holds both), so a second press or a second staff member of the same scope the same day
    queues nothing, and those reminded today under another scope are left out."""
    counted = await read_count(session=session, actor=actor, issue_id=issue_id)
    issue = counted.issue
    key = remind_key(issue, now, actor.scope)
    if await find_delivery(session=session, dedupe_key=key) is not None:
        raise RemindedToday()
    reminded = await recipients_of_keys_starting(session=session, prefix=remind_prefix(issue, now))
    unread = [member for member in counted.unread if member.person_id not in reminded]
    if counted.unread and not unread:
        raise RemindedToday()
    if not unread:
        raise NobodyUnread()
    params = {
        "issue_id": issue.id,
        "year": issue.year,
        "number": issue.number,
        "title": issue.title,
    }
    delivery = await enqueue(
        session=session,
        dedupe_key=key,
        audience=People([member.person_id for member in unread]),
        content=TemplateContent(REMIND_TEMPLATE, params),
        not_before=now,
        author_telegram_id=actor.telegram_id,
    )
    await record_audit(
        session=session,
        actor_telegram_id=actor.telegram_id,
        action="bulletin.remind",
        target=f"delivery:{delivery.id}",
        details={"issue_id": issue.id, "people": len(unread)},
    )
    return Reminded(delivery=delivery, count=len(unread))
