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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.deliveries.enqueue import enqueue
from services.deliveries.model import Audience, Content, People, TemplateContent
from services.scheduling.preferences import (
    PersonReminders,
    default_quiet,
    reminder_settings_for,
)
from services.scheduling.quiet import URGENT_WITHIN, QuietHours, is_urgent, release_at
from storage.delivery_models import DEFAULT_PRIORITY, ContentKind, Delivery
from storage.scheduling import any_delivery_with_keys, record_missed
from storage.scheduling_bulk import Personal, queue_personal
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
    choices: Mapping[int, PersonReminders] | None = None,
    starts_at: datetime | None = None,
) -> list[Delivery]:
    """Queue a reminder due at `due_at`, once per dedupe key, in the caller's transaction.

    Before `useful_until` it is queued: sent from `due_at`, or, unless `urgent`, when the
    recipient's quiet hours end if `due_at` or `now` (a late tick, after a restart) falls in
    them; after it, when nothing was queued under the key before, it is recorded
    once as missed (`kind`: the key up to its first colon unless given) and nothing is sent.
    Returns the deliveries under the key, new or queued before; empty when missed.
    `choices`: the people's settings when the caller has read them already (a planner reading
    everyone's at once), else they are read here. `starts_at`: when what it reminds of
    starts; within URGENT_WITHIN of it the reminder is urgent, and quiet hours hold it at most
    until then (a 09:00 reception's notice waits until 06:00, not until after it began).
    """
    if starts_at is not None:
        urgent = urgent or is_urgent(starts_at, now)
    if now > useful_until:
        await _missed(session, dedupe_key, audience, due_at, useful_until, kind)
        return []
    if not isinstance(audience, People):
        at = _send_at(due_at, now, default_quiet(settings), settings, urgent, starts_at)
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
    if choices is None or any(person_id not in choices for person_id in people):
        choices = await reminder_settings_for(session=session, person_ids=people, settings=settings)
    queued = []
    for person_id in people:
        key = dedupe_key if len(people) == 1 else person_key(dedupe_key, person_id)
        at = _send_at(due_at, now, choices[person_id].quiet, settings, urgent, starts_at)
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


def _send_at(
    due_at: datetime,
    now: datetime,
    quiet: QuietHours,
    settings: Settings,
    urgent: bool,
    starts_at: datetime | None,
) -> datetime:
    if urgent:
        return due_at
    held = release_at(max(due_at, now), quiet, settings.tz)
    if starts_at is None:
        return held
    return min(held, max(due_at, now, starts_at - URGENT_WITHIN))


@dataclass(frozen=True)
class Reminder:
    """One person's reminder for `schedule_many`, as `schedule` takes it."""

    dedupe_key: str
    person_id: int
    content: TemplateContent
    due_at: datetime
    useful_until: datetime
    starts_at: datetime | None = None


async def schedule_many(
    *,
    session: AsyncSession,
    settings: Settings,
    reminders: Sequence[Reminder],
    now: datetime,
    kind: str,
    choices: Mapping[int, PersonReminders] | None = None,
    priority: int = DEFAULT_PRIORITY,
) -> tuple[list[str], list[str]]:
    """`schedule` for many one-person reminders at once, in a few statements whatever their
    number; returns the keys queued (now or before) and those recorded missed."""
    people = {r.person_id for r in reminders}
    if choices is None or any(person_id not in choices for person_id in people):
        choices = await reminder_settings_for(session=session, person_ids=people, settings=settings)
    queued, missed, items = [], [], []
    for r in reminders:
        if now > r.useful_until:
            audience = People((r.person_id,))
            await _missed(session, r.dedupe_key, audience, r.due_at, r.useful_until, kind)
            missed.append(r.dedupe_key)
            continue
        quiet = choices[r.person_id].quiet
        urgent = r.starts_at is not None and is_urgent(r.starts_at, now)
        at = _send_at(r.due_at, now, quiet, settings, urgent, r.starts_at)
        delivery = Delivery(
            dedupe_key=r.dedupe_key,
            kind=ContentKind.template,
            template_id=r.content.template_id,
            params=dict(r.content.params),
            audience=People((r.person_id,)).describe(),
            not_before=at,
            priority=priority,
        )
        items.append(Personal(delivery, r.person_id))
        queued.append(r.dedupe_key)
    await queue_personal(session=session, items=items)
    return queued, missed


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
