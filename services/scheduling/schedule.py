"""From something due to a delivery: held through quiet hours, or recorded as missed.

Audiences: a People audience of one person gets one delivery under the planner's dedupe key.
A People audience of several gets one delivery per person, under `<key>:p<person id>`, each
held to that person's own quiet hours: the keys do not depend on anyone's settings, so two
planners (or two ticks) make the same keys whatever changed in between, and a person's settings
changing never sends anyone a reminder twice. A Representatives audience (a broadcast by
delegation) is one delivery held to the default quiet hours.
"""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.deliveries.enqueue import enqueue
from services.deliveries.model import Audience, Content, People
from services.scheduling.preferences import default_quiet, reminder_settings_for
from services.scheduling.quiet import release_at
from storage.delivery_models import DEFAULT_PRIORITY, Delivery
from storage.scheduling import any_delivery_with_keys, record_missed
from storage.scheduling_models import MissedReminder

log = logging.getLogger(__name__)


def person_key(dedupe_key: str, person_id: int) -> str:
    """The dedupe key of one person's delivery of a reminder sent to several people."""
    return f"{dedupe_key}:p{person_id}"


async def schedule(
    *,
    session: AsyncSession,
    settings: Settings,
    dedupe_key: str,
    audience: Audience,
    content: Content,
    due_at: datetime,
    useful_until: datetime,
    now: datetime,
    urgent: bool = False,
    priority: int = DEFAULT_PRIORITY,
    kind: str | None = None,
) -> list[Delivery]:
    """Queue a reminder due at `due_at`, once per dedupe key, in the caller's transaction.

    Before `useful_until` it is queued: sent from `due_at`, or, unless `urgent`, when the
    recipient's quiet hours end if `due_at` or `now` (a late tick, after a restart) falls in
    them; after it, when nothing was queued under the key before, it is recorded
    once as missed (`kind`: the key up to its first colon unless given) and nothing is sent.
    Returns the deliveries under the key, new or queued before; empty when missed.
    """
    if now > useful_until:
        await _missed(session, dedupe_key, audience, due_at, useful_until, kind)
        return []
    if not isinstance(audience, People):
        quiet = default_quiet(settings)
        at = due_at if urgent else release_at(max(due_at, now), quiet, settings.tz)
        delivery = await enqueue(
            session=session,
            dedupe_key=dedupe_key,
            audience=audience,
            content=content,
            not_before=at,
            priority=priority,
        )
        return [delivery]
    people = sorted(set(audience.person_ids))
    choices = await reminder_settings_for(session=session, person_ids=people, settings=settings)
    queued = []
    for person_id in people:
        key = dedupe_key if len(people) == 1 else person_key(dedupe_key, person_id)
        quiet = choices[person_id].quiet
        at = due_at if urgent else release_at(max(due_at, now), quiet, settings.tz)
        queued.append(
            await enqueue(
                session=session,
                dedupe_key=key,
                audience=People((person_id,)),
                content=content,
                not_before=at,
                priority=priority,
            )
        )
    return queued


async def _missed(
    session: AsyncSession,
    dedupe_key: str,
    audience: Audience,
    due_at: datetime,
    useful_until: datetime,
    kind: str | None,
) -> None:
    people = sorted(set(audience.person_ids)) if isinstance(audience, People) else []
    keys = [dedupe_key] if len(people) <= 1 else [person_key(dedupe_key, p) for p in people]
    if await any_delivery_with_keys(session=session, dedupe_keys=keys):
        return
    missed = MissedReminder(
        dedupe_key=dedupe_key,
        kind=(kind or dedupe_key.split(":", 1)[0])[:32],
        audience=audience.describe(),
        person_ids=people,
        due_at=due_at,
        useful_until=useful_until,
    )
    if await record_missed(session=session, missed=missed):
        log.warning("reminder %s missed: due %s, useful until %s", dedupe_key, due_at, useful_until)
