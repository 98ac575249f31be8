"""A member's answer to a meeting: attending, or excused with a reason. Only members of the
group answer (a forged button of anyone else is not found), and only while the meeting is on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.deliveries.control import cancel
from services.errors import DomainError
from services.i18n_marks import N_
from services.meetings.access import members_meeting
from services.meetings.publish import base_key, checked_text
from services.scheduling.schedule import person_key
from storage.meeting_models import REASON_LIMIT, Answer, Meeting, MeetingReply, MeetingState
from storage.meetings import open_deliveries_with_keys, reply_of, save_reply

LEADS = ("7d", "1d", "2h")


class MeetingCancelled(DomainError):
    message = N_("This meeting was cancelled.")


class MeetingOver(DomainError):
    message = N_("This meeting is over; answers are closed.")


def ensure_open(meeting: Meeting, now: datetime) -> None:
    if meeting.state == MeetingState.cancelled:
        raise MeetingCancelled()
    if now > meeting.ends_at:
        raise MeetingOver()


def reminder_key(meeting: Meeting, lead: str) -> str:
    return f"{base_key(meeting)}:T-{lead}"


async def open_reply(session: AsyncSession, meeting: Meeting, person_id: int) -> MeetingReply:
    assert meeting.id is not None  # noqa: S101 - a saved meeting
    found = await reply_of(session=session, meeting_id=meeting.id, person_id=person_id)
    return found or MeetingReply(meeting_id=meeting.id, person_id=person_id)


async def attend(
    *, session: AsyncSession, person_id: int | None, meeting_id: int, now: datetime
) -> Meeting:
    meeting = await members_meeting(session=session, person_id=person_id, meeting_id=meeting_id)
    ensure_open(meeting, now)
    assert person_id is not None  # noqa: S101 - checked by members_meeting
    reply = await open_reply(session, meeting, person_id)
    reply.answer, reply.reason, reply.answered_at = Answer.attending, None, now
    await save_reply(session=session, reply=reply)
    return meeting


async def check_may_excuse(
    *, session: AsyncSession, person_id: int | None, meeting_id: int, now: datetime
) -> Meeting:
    """Before the reason is asked: the presser is a member and the meeting is still on."""
    meeting = await members_meeting(session=session, person_id=person_id, meeting_id=meeting_id)
    ensure_open(meeting, now)
    return meeting


async def excuse(
    *, session: AsyncSession, person_id: int | None, meeting_id: int, reason: str, now: datetime
) -> Meeting:
    """Excused with a reason; the reminders already queued for them and not sent are cancelled."""
    meeting = await check_may_excuse(
        session=session, person_id=person_id, meeting_id=meeting_id, now=now
    )
    assert person_id is not None  # noqa: S101 - checked by members_meeting
    reply = await open_reply(session, meeting, person_id)
    reply.answer, reply.reason, reply.answered_at = (
        Answer.excused,
        checked_text(reason, REASON_LIMIT),
        now,
    )
    await save_reply(session=session, reply=reply)
    keys = [person_key(reminder_key(meeting, lead), person_id) for lead in LEADS]
    for delivery_id in await open_deliveries_with_keys(session=session, keys=keys):
        await cancel(session=session, delivery_id=delivery_id, now=now)
    return meeting
