"""Who an issue was delivered to, read from the delivery engine's rows.

An issue's audience is the recipient rows of the delivery keyed ``bulletin:<year>:<number>``
(reminders have longer keys and are not part of it). Nothing else records it: the rows are
written once, in the transaction that publishes the issue.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, exists, false, literal, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from storage.bulletin_models import BulletinIssue, BulletinRead, IssueState
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Mandate, Person

KEY_PREFIX = "bulletin"


def issue_delivery_key(year: int, number: int) -> str:
    return f"{KEY_PREFIX}:{year}:{number}"


def _key_of_issue() -> ColumnElement[str]:
    # The same key as issue_delivery_key, built in SQL for the issue row at hand.
    year = cast(col(BulletinIssue.year), String)
    number = cast(col(BulletinIssue.number), String)
    return literal(f"{KEY_PREFIX}:", String) + year + literal(":", String) + number


def _in_scope(person: Any, scope: Collection[int]) -> ColumnElement[bool]:
    return exists(
        select(col(Mandate.id))
        .where(col(Mandate.person_id) == person)
        .where(col(Mandate.active).is_(True))
        .where(col(Mandate.delegation_id).in_(list(scope)))
    )


def readable_filter(
    *, person_id: int | None, staff: bool, scope: Collection[int] | None
) -> ColumnElement[bool]:
    """Published issues delivered to ``person_id``, or, for staff, delivered to anyone in their
    scope (every published issue for a scope of None)."""
    published = col(BulletinIssue.state) == IssueState.published
    if staff and scope is None:
        return published
    rows = (
        select(col(DeliveryRecipient.id))
        .join(Delivery, col(Delivery.id) == col(DeliveryRecipient.delivery_id))
        .where(col(Delivery.dedupe_key) == _key_of_issue())
    )
    reaches: list[ColumnElement[bool]] = []
    if person_id is not None:
        reaches.append(exists(rows.where(col(DeliveryRecipient.person_id) == person_id)))
    if staff and scope:
        reaches.append(exists(rows.where(_in_scope(col(DeliveryRecipient.person_id), scope))))
    return and_(published, or_(*reaches)) if reaches else false()


async def issue_matches(
    *, session: AsyncSession, issue_id: int, where: ColumnElement[bool]
) -> bool:
    statement = select(col(BulletinIssue.id)).where(col(BulletinIssue.id) == issue_id)
    return await session.scalar(statement.where(where)) is not None


@dataclass(frozen=True)
class AudienceMember:
    person_id: int
    name: str
    read_at: datetime | None


async def issue_audience(
    *, session: AsyncSession, issue: BulletinIssue, scope: Collection[int] | None
) -> list[AudienceMember]:
    """The people the issue was delivered to (within ``scope``; None: all), by name, each with
    the time they tapped 已阅, if they did."""
    statement = (
        select(col(Person.id), col(Person.name), col(BulletinRead.read_at))
        .join(DeliveryRecipient, col(DeliveryRecipient.person_id) == col(Person.id))
        .join(Delivery, col(Delivery.id) == col(DeliveryRecipient.delivery_id))
        .outerjoin(
            BulletinRead,
            and_(
                col(BulletinRead.person_id) == col(Person.id),
                col(BulletinRead.issue_id) == issue.id,
            ),
        )
        .where(col(Delivery.dedupe_key) == issue_delivery_key(issue.year, issue.number))
        .where(_in_scope(col(Person.id), scope) if scope is not None else true())
        .order_by(col(Person.name), col(Person.id))
    )
    rows = await session.execute(statement)
    return [AudienceMember(person_id=row[0] or 0, name=row[1], read_at=row[2]) for row in rows]


async def recipients_of_keys_starting(*, session: AsyncSession, prefix: str) -> set[int]:
    """The people of every delivery whose key starts with ``prefix`` (e.g. the day's reminders
    of an issue, whatever their scope)."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    statement = (
        select(col(DeliveryRecipient.person_id))
        .join(Delivery, col(Delivery.id) == col(DeliveryRecipient.delivery_id))
        .where(col(Delivery.dedupe_key).like(escaped + "%", escape="\\"))
    )
    return set((await session.scalars(statement)).all())


async def find_delivery(*, session: AsyncSession, dedupe_key: str) -> Delivery | None:
    return await session.scalar(select(Delivery).where(col(Delivery.dedupe_key) == dedupe_key))
