"""Queueing a delivery: idempotent on its dedupe key, recipients inserted in bulk."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from services.deliveries.model import (
    CAPTION_LIMIT,
    Audience,
    Chosen,
    Content,
    DocumentContent,
    PhotoContent,
    Representatives,
    TemplateContent,
    TextContent,
)
from services.errors import BadInput
from storage.deliveries import (
    IDS_PER_STATEMENT,
    chosen_filter,
    count_without_account,
    insert_delivery,
    people_filter,
    queue_recipients,
)
from storage.delivery_models import DEDUPE_KEY_LIMIT, DEFAULT_PRIORITY, ContentKind, Delivery


async def enqueue(
    *,
    session: AsyncSession,
    dedupe_key: str,
    audience: Audience,
    content: Content,
    not_before: datetime,
    priority: int = DEFAULT_PRIORITY,
    author_telegram_id: int | None = None,
) -> Delivery:
    """Queue `content` for everyone in `audience` from `not_before` on, in the caller's
    transaction. A second call with the same `dedupe_key` (another planner, a restart) returns
    the delivery queued first and queues nothing. People without a Telegram account get no row
    and are counted in `Delivery.skipped`."""
    if not dedupe_key or len(dedupe_key) > DEDUPE_KEY_LIMIT:
        raise BadInput()
    if not_before.tzinfo is None:
        raise ValueError("not_before must be timezone-aware")
    new = Delivery(
        dedupe_key=dedupe_key,
        audience=audience.describe(),
        author_telegram_id=author_telegram_id,
        not_before=not_before,
        priority=priority,
        **_content_fields(content),
    )
    delivery, created = await insert_delivery(session=session, delivery=new)
    if not created:
        return delivery
    skipped = 0
    for who in audience_filters(audience):
        await queue_recipients(session=session, delivery=delivery, who=who)
        skipped += await count_without_account(session=session, who=who)
    if skipped:
        delivery.skipped = skipped
        session.add(delivery)
        await session.flush()
    return delivery


def audience_filters(audience: Audience) -> list[ColumnElement[bool]]:
    """The audience as conditions on people, each small enough for one statement."""
    if isinstance(audience, Chosen):
        return [
            chosen_filter(
                scope=audience.scope,
                delegation_ids=audience.delegation_ids,
                group_ids=audience.group_ids,
                station_ids=audience.station_ids,
            )
        ]
    if isinstance(audience, Representatives):
        return [people_filter(person_ids=None, delegation_ids=audience.delegation_ids)]
    ids = sorted(set(audience.person_ids))
    return [
        people_filter(person_ids=ids[i : i + IDS_PER_STATEMENT], delegation_ids=None)
        for i in range(0, len(ids), IDS_PER_STATEMENT)
    ]


def _content_fields(content: Content) -> dict[str, Any]:
    if isinstance(content, TemplateContent):
        if not content.template_id:
            raise BadInput()
        return {
            "kind": ContentKind.template,
            "template_id": content.template_id,
            "params": dict(content.params),
        }
    if isinstance(content, TextContent):
        if not content.text.strip():
            raise BadInput()
        return {
            "kind": ContentKind.text,
            "text": content.text,
            "entities": _dicts(content.entities),
        }
    kind = ContentKind.photo if isinstance(content, PhotoContent) else ContentKind.document
    assert isinstance(content, PhotoContent | DocumentContent)  # noqa: S101 - the union's rest
    if len(content.caption or "") > CAPTION_LIMIT:
        raise BadInput()
    return {
        "kind": kind,
        "file_id": content.file_id,
        "text": content.caption,
        "entities": _dicts(content.caption_entities),
    }


def _dicts(entities: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [dict(entity) for entity in entities]
