"""Moving a meeting (time or place) and cancelling it. Everyone in the group is told; the
reminders queued for the old time are cancelled (their deliveries, so nothing unsent goes out),
and the new version's reminders have new keys, so they go out again for the new time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.config import Settings
from services.deliveries.control import cancel
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TemplateContent
from services.errors import StaleButton
from services.meetings import templates
from services.meetings.access import managed_meeting
from services.meetings.publish import NOTICE_PRIORITY, base_key, check_place, notice_params
from services.meetings.replies import ensure_open
from services.meetings.when import When, ensure_future
from storage.audit import record_audit
from storage.meeting_models import Meeting, MeetingState
from storage.meetings import member_ids, open_deliveries_like, save_meeting


@dataclass(frozen=True)
class Change:
    """What changes: a new time, or a new place (with a location or none), or both."""

    when: When | None = None
    place: str | None = None
    latitude: float | None = None
    longitude: float | None = None


async def cancel_reminders(session: AsyncSession, meeting: Meeting, now: datetime) -> int:
    """Every reminder of the meeting queued and not yet sent, of any version, is cancelled."""
    ids = await open_deliveries_like(session=session, prefix=f"meeting:{meeting.id}:", part=":T-")
    for delivery_id in ids:
        await cancel(session=session, delivery_id=delivery_id, now=now)
    return len(ids)


async def move_meeting(
    *,
    session: AsyncSession,
    actor: Actor,
    meeting_id: int,
    version: int,
    change: Change,
    now: datetime,
    settings: Settings,
) -> Meeting:
    meeting = await managed_meeting(session=session, actor=actor, meeting_id=meeting_id)
    ensure_open(meeting, now)
    if meeting.version != version:
        raise StaleButton()
    if change.when is not None:
        ensure_future(change.when, now=now, tz=settings.tz)
    await cancel_reminders(session, meeting, now)
    if change.when is not None:
        meeting.starts_at, meeting.ends_at = change.when.starts_at, change.when.ends_at
    if change.place is not None:
        meeting.place = check_place(change.place)
        meeting.latitude, meeting.longitude = change.latitude, change.longitude
    meeting.version += 1
    meeting.updated_at = now
    await save_meeting(session=session, meeting=meeting)
    await _tell_everyone(
        session, meeting, f"{base_key(meeting)}:moved", templates.MOVED, now, settings
    )
    await record_audit(
        session=session,
        actor_telegram_id=actor.telegram_id,
        action="meeting_move",
        target=f"meeting:{meeting.id}",
        details={"version": meeting.version},
    )
    return meeting


async def cancel_meeting(
    *,
    session: AsyncSession,
    actor: Actor,
    meeting_id: int,
    version: int,
    now: datetime,
    settings: Settings,
) -> Meeting:
    meeting = await managed_meeting(session=session, actor=actor, meeting_id=meeting_id)
    ensure_open(meeting, now)
    if meeting.version != version:
        raise StaleButton()
    await cancel_reminders(session, meeting, now)
    meeting.state = MeetingState.cancelled
    meeting.updated_at = now
    await save_meeting(session=session, meeting=meeting)
    key = f"meeting:{meeting.id}:cancelled"
    await _tell_everyone(session, meeting, key, templates.CANCELLED, now, settings)
    await record_audit(
        session=session,
        actor_telegram_id=actor.telegram_id,
        action="meeting_cancel",
        target=f"meeting:{meeting.id}",
    )
    return meeting


async def _tell_everyone(
    session: AsyncSession,
    meeting: Meeting,
    key: str,
    template_id: str,
    now: datetime,
    settings: Settings,
) -> None:
    members = await member_ids(session=session, group_id=meeting.group_id)
    if not members:
        return
    await enqueue(
        session=session,
        dedupe_key=key,
        audience=People(members),
        content=TemplateContent(template_id, await notice_params(session, meeting, settings)),
        not_before=now,
        priority=NOTICE_PRIORITY,
    )
