"""A meeting as an iCalendar file (.ics): the event in the deployment's time zone, with the
VTIMEZONE that describes it, so calendar apps show the local time the organiser meant."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, vGeo

from storage.meeting_models import Meeting, MeetingState

PRODID = "-//Representative Liaison Bot//meetings//ZH"


def meeting_ics(
    meeting: Meeting, *, group_name: str, tz: ZoneInfo, domain: str = "liaison"
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    cancelled = meeting.state == MeetingState.cancelled
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"meeting-{meeting.id}@{domain}")
    # Each change of time or place is a new sequence number: calendars replace the old event.
    event.add("sequence", meeting.version)
    event.add("dtstamp", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.ends_at.astimezone(tz))
    event.add("summary", f"{meeting.title} · {group_name}")
    event.add("location", meeting.place)
    if meeting.agenda:
        event.add("description", meeting.agenda)
    if meeting.latitude is not None and meeting.longitude is not None:
        event.add("geo", vGeo((meeting.latitude, meeting.longitude)))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    # A year either side: the VTIMEZONE then holds at least one offset rule (a zone without
    # daylight saving, such as Asia/Shanghai, has no transition inside the meeting itself).
    first = (meeting.starts_at - timedelta(days=366)).astimezone(tz).date()
    last = (meeting.ends_at + timedelta(days=366)).astimezone(tz).date()
    calendar.add_component(Timezone.from_tzinfo(tz, first_date=first, last_date=last))
    data: bytes = calendar.to_ical()
    return data
