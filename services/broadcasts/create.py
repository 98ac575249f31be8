"""Creating a broadcast: its delivery queued once per preview token, in the caller's
transaction, with the audience checked against the author's scope again."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.audience import Choice, count_audience, require_recipients, resolve
from services.broadcasts.content import BroadcastContent, checked
from services.broadcasts.when import SendTimeInPast
from services.deliveries.enqueue import enqueue
from services.errors import PermissionDenied
from storage.audit import record_audit
from storage.broadcasts import TOKEN_LENGTH, Broadcast, broadcast_by_token, insert_broadcast


def new_token() -> str:
    """Made when the preview is shown, and kept with it: one broadcast per preview."""
    return secrets.token_hex(TOKEN_LENGTH // 2)


async def create_broadcast(
    *,
    session: AsyncSession,
    actor: Actor,
    token: str,
    content: BroadcastContent | None,
    choice: Choice,
    send_at: datetime | None,
    now: datetime,
) -> tuple[Broadcast, bool]:
    """The broadcast of this preview and whether it is new. `send_at` None: now. A second call
    with the same token returns the first broadcast and queues nothing."""
    found = await broadcast_by_token(session=session, token=token)
    if found is not None:
        return found, False
    if not actor.is_staff:
        raise PermissionDenied()
    if send_at is not None and send_at <= now:
        raise SendTimeInPast()
    audience = await resolve(session=session, scope=actor.scope, choice=choice)
    count = require_recipients(await count_audience(session=session, audience=audience))
    delivery = await enqueue(
        session=session,
        dedupe_key=f"broadcast:{token}",
        audience=audience,
        content=checked(content),
        not_before=send_at or now,
        author_telegram_id=actor.telegram_id,
    )
    assert delivery.id is not None  # noqa: S101 - saved by enqueue
    broadcast = await insert_broadcast(
        session=session,
        broadcast=Broadcast(
            token=token,
            delivery_id=delivery.id,
            author_telegram_id=actor.telegram_id,
            chat_id=actor.telegram_id,
            locale=actor.locale,
            delegation_ids=None if actor.scope is None else sorted(actor.scope),
        ),
    )
    await record_audit(
        session=session,
        actor_telegram_id=actor.telegram_id,
        action="broadcast",
        target=f"broadcast:{broadcast.id}",
        details={
            "delivery": delivery.id,
            "audience": delivery.audience,
            "recipients": count.reachable,
            "not_before": (send_at or now).isoformat(),
        },
    )
    return broadcast, True
