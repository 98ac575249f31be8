"""Check-in at a meeting: the 4-digit code the organiser shows in the room, or a location
shared within 500 m of the venue, from 30 minutes before the start to the end. Each refusal
says what was wrong."""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.dates import normalize
from services.errors import DomainError
from services.i18n_marks import N_
from services.meetings.access import managed_meeting, members_meeting
from services.meetings.replies import MeetingCancelled, open_reply
from storage.meeting_models import Meeting, MeetingState
from storage.meetings import live_meetings, member_mandate, save_reply

OPENS_BEFORE = timedelta(minutes=30)
NEAR_METRES = 500.0
EARTH_METRES = 6_371_000.0


class WrongCode(DomainError):
    message = N_(
        "That check-in code is not right. Ask the organiser for the code and send it again."
    )


class AlreadyCheckedIn(DomainError):
    message = N_("You have already checked in to this meeting (at {at}).")


class NotOpen(DomainError):
    message = N_(
        "Check-in is open from 30 minutes before the meeting until it ends ({opens} to {closes})."
    )


class NothingOpen(DomainError):
    message = N_(
        "No meeting of your group is open for check-in now. Check-in opens 30 minutes before "
        "a meeting starts and closes when it ends."
    )


class NotAMember(DomainError):
    message = N_("This check-in code belongs to a meeting of a group you are not a member of.")


class TooFar(DomainError):
    message = N_(
        "Your location is about {metres} m from the venue; check-in by location works within "
        "500 m. Send the code announced in the room instead."
    )


class NoVenueLocation(DomainError):
    message = N_("This meeting's venue has no location. Send the code announced in the room.")


def distance_metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine), plenty for "within 500 m"."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_METRES * math.asin(math.sqrt(a))


def is_open(meeting: Meeting, now: datetime) -> bool:
    return meeting.starts_at - OPENS_BEFORE <= now <= meeting.ends_at


def ensure_open_for_checkin(meeting: Meeting, now: datetime, tz: ZoneInfo) -> None:
    if meeting.state == MeetingState.cancelled:
        raise MeetingCancelled()
    if not is_open(meeting, now):
        opens = (meeting.starts_at - OPENS_BEFORE).astimezone(tz)
        closes = meeting.ends_at.astimezone(tz)
        raise NotOpen(opens=f"{opens:%Y-%m-%d %H:%M}", closes=f"{closes:%Y-%m-%d %H:%M}")


async def _record(
    session: AsyncSession, meeting: Meeting, person_id: int, now: datetime, tz: ZoneInfo
) -> Meeting:
    reply = await open_reply(session, meeting, person_id)
    if reply.checked_in_at is not None:
        raise AlreadyCheckedIn(at=f"{reply.checked_in_at.astimezone(tz):%H:%M}")
    reply.checked_in_at = now
    await save_reply(session=session, reply=reply)
    return meeting


async def check_in_with_code(
    *,
    session: AsyncSession,
    person_id: int | None,
    meeting_id: int,
    code: str,
    now: datetime,
    tz: ZoneInfo,
) -> Meeting:
    meeting = await members_meeting(session=session, person_id=person_id, meeting_id=meeting_id)
    ensure_open_for_checkin(meeting, now, tz)
    assert person_id is not None  # noqa: S101 - checked by members_meeting
    if normalize(code).strip() != meeting.checkin_code:
        raise WrongCode()
    return await _record(session, meeting, person_id, now, tz)


async def check_in_with_location(
    *,
    session: AsyncSession,
    person_id: int | None,
    meeting_id: int,
    latitude: float,
    longitude: float,
    now: datetime,
    tz: ZoneInfo,
) -> Meeting:
    meeting = await members_meeting(session=session, person_id=person_id, meeting_id=meeting_id)
    ensure_open_for_checkin(meeting, now, tz)
    assert person_id is not None  # noqa: S101 - checked by members_meeting
    if meeting.latitude is None or meeting.longitude is None:
        raise NoVenueLocation()
    metres = distance_metres(latitude, longitude, meeting.latitude, meeting.longitude)
    if metres > NEAR_METRES:
        raise TooFar(metres=int(round(metres, -1)))
    return await _record(session, meeting, person_id, now, tz)


async def check_in_any(
    *, session: AsyncSession, person_id: int | None, code: str, now: datetime, tz: ZoneInfo
) -> Meeting:
    """A code sent outside any dialog: the meeting open now whose code it is."""
    if person_id is None:
        raise NothingOpen()
    code = normalize(code).strip()
    live = await live_meetings(session=session, now=now, opens_before=OPENS_BEFORE)
    own = [
        m
        for m in live
        if await member_mandate(session=session, group_id=m.group_id, person_id=person_id)
    ]
    for meeting in own:
        if meeting.checkin_code == code:
            return await _record(session, meeting, person_id, now, tz)
    if own:
        raise WrongCode()
    if any(m.checkin_code == code for m in live):
        raise NotAMember()
    raise NothingOpen()


async def organiser_code(
    *, session: AsyncSession, actor: Actor, meeting_id: int, now: datetime, tz: ZoneInfo
) -> Meeting:
    """The meeting whose code the organiser may show now (during the check-in window)."""
    meeting = await managed_meeting(session=session, actor=actor, meeting_id=meeting_id)
    ensure_open_for_checkin(meeting, now, tz)
    return meeting
