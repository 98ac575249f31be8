"""A new meeting: saved, and its notice queued to every member at once; its calendar file."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.config import Settings
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TemplateContent
from services.errors import BadInput
from services.i18n_marks import N_
from services.meetings import templates
from services.meetings.access import organisable_group
from services.meetings.ics import meeting_ics
from services.meetings.when import When, ensure_future
from storage.audit import record_audit
from storage.meeting_models import AGENDA_LIMIT, PLACE_LIMIT, TITLE_LIMIT, Meeting
from storage.meetings import get_group, member_ids, save_meeting
from storage.models import Group

# Ahead of bulk deliveries (bulletins, broadcasts): a meeting notice is news for a few people.
NOTICE_PRIORITY = 50


class TooLong(BadInput):
    message = N_("That is too long: at most {limit} characters. Please send it shorter.")


class NoMembers(BadInput):
    message = N_("This group has no members on the roster, so nobody would be told.")


@dataclass(frozen=True)
class NewMeeting:
    group_id: int
    title: str
    when: When
    place: str
    latitude: float | None
    longitude: float | None
    agenda: str | None


def checked_text(text: str, limit: int) -> str:
    cleaned = text.strip()
    if not cleaned:
        raise BadInput()
    if len(cleaned) > limit:
        raise TooLong(limit=limit)
    return cleaned


def check_title(text: str) -> str:
    return checked_text(text, TITLE_LIMIT)


def check_place(text: str) -> str:
    return checked_text(text, PLACE_LIMIT)


def check_agenda(text: str) -> str:
    return checked_text(text, AGENDA_LIMIT)


def base_key(meeting: Meeting) -> str:
    """`meeting:<id>` for the first version, `meeting:<id>:v<n>` after a change."""
    return (
        f"meeting:{meeting.id}"
        if meeting.version == 1
        else f"meeting:{meeting.id}:v{meeting.version}"
    )


async def publish_meeting(
    *, session: AsyncSession, actor: Actor, new: NewMeeting, now: datetime, settings: Settings
) -> Meeting:
    group = await organisable_group(session=session, actor=actor, group_id=new.group_id)
    ensure_future(new.when, now=now, tz=settings.tz)
    members = await member_ids(session=session, group_id=new.group_id)
    if not members:
        raise NoMembers()
    meeting = Meeting(
        group_id=new.group_id,
        delegation_id=group.delegation_id,
        title=check_title(new.title),
        starts_at=new.when.starts_at,
        ends_at=new.when.ends_at,
        place=check_place(new.place),
        latitude=new.latitude,
        longitude=new.longitude,
        agenda=check_agenda(new.agenda) if new.agenda else None,
        organiser_person_id=actor.person_id,
        organiser_telegram_id=actor.telegram_id,
        checkin_code=f"{secrets.randbelow(10_000):04d}",
        created_at=now,
        updated_at=now,
    )
    await save_meeting(session=session, meeting=meeting)
    await enqueue(
        session=session,
        dedupe_key=f"meeting:{meeting.id}:notice",
        audience=People(members),
        content=TemplateContent(templates.NOTICE, await notice_params(session, meeting, settings)),
        not_before=now,
        priority=NOTICE_PRIORITY,
    )
    await record_audit(
        session=session,
        actor_telegram_id=actor.telegram_id,
        action="meeting_publish",
        target=f"meeting:{meeting.id}",
    )
    return meeting


async def notice_params(
    session: AsyncSession, meeting: Meeting, settings: Settings
) -> dict[str, Any]:
    group = await get_group(session=session, group_id=meeting.group_id)
    return templates.params(meeting, group_name=group_name(group), tz=settings.tz)


def group_name(group: Group | None) -> str:
    return group.name if group is not None else "?"


async def group_title(session: AsyncSession, meeting: Meeting) -> str:
    return group_name(await get_group(session=session, group_id=meeting.group_id))


async def calendar_file(session: AsyncSession, meeting: Meeting, settings: Settings) -> bytes:
    """The meeting's .ics as it stands (small: built on the loop in well under a millisecond)."""
    name = await group_title(session, meeting)
    return meeting_ics(meeting, group_name=name, tz=settings.tz)
