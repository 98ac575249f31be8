"""After the meeting, a checked-in member logs it as a group-meeting activity with one tap:
type, date, place and title filled in from the meeting; a second tap saves nothing more."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.activities.drafts import PLACE_LIMIT, Draft
from services.activities.save import SavedActivity, save_activity
from services.errors import DomainError, NotFound
from services.i18n_marks import N_
from services.meetings.access import members_meeting
from storage.meeting_models import MeetingState
from storage.meetings import activity_type_by_code, member_mandate, reply_of, save_reply

GROUP_MEETING = "group_meeting"


class NotCheckedIn(DomainError):
    message = N_("Only members who checked in at the meeting can log it from here. Use /log.")


class AlreadyLogged(DomainError):
    message = N_("You have already logged this meeting as an activity.")


class NotYet(DomainError):
    message = N_("The meeting has not ended yet. Log it when it is over.")


class NoMeetingType(DomainError):
    message = N_("The activity type “group meeting” is not available. Please log it with /log.")


async def log_meeting(
    *, session: AsyncSession, person_id: int | None, meeting_id: int, now: datetime, tz: ZoneInfo
) -> SavedActivity:
    meeting = await members_meeting(session=session, person_id=person_id, meeting_id=meeting_id)
    assert person_id is not None  # noqa: S101 - checked by members_meeting
    if meeting.state == MeetingState.cancelled:
        raise NotFound()
    reply = await reply_of(session=session, meeting_id=meeting_id, person_id=person_id)
    if reply is None or reply.checked_in_at is None:
        raise NotCheckedIn()
    if reply.activity_id is not None:
        raise AlreadyLogged()
    if now < meeting.ends_at:
        raise NotYet()
    kind = await activity_type_by_code(session=session, code=GROUP_MEETING)
    if kind is None or not kind.active or kind.id is None:
        raise NoMeetingType()
    mandate = await member_mandate(session=session, group_id=meeting.group_id, person_id=person_id)
    if mandate is None or mandate.id is None:
        raise NotFound()
    draft = Draft(
        mandate_id=mandate.id,
        type_id=kind.id,
        day=meeting.starts_at.astimezone(tz).date(),
        place=meeting.place[:PLACE_LIMIT],
        latitude=meeting.latitude,
        longitude=meeting.longitude,
        summary=meeting.title,
    )
    saved = await save_activity(session=session, person_id=person_id, draft=draft, now=now)
    reply.activity_id = saved.activity_id
    await save_reply(session=session, reply=reply)
    return saved
