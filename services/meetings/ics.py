"""A meeting as an iCalendar file (.ics): the event in the deployment's time zone, with the
VTIMEZONE that describes it, so calendar apps show the local time the organiser meant."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
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
    years = meeting.starts_at.astimezone(tz).year, meeting.ends_at.astimezone(tz).year
    calendar.add_component(_vtimezone(tz, *years))
    data: bytes = calendar.to_ical()
    return data


@lru_cache(maxsize=64)
def _vtimezone(tz: ZoneInfo, first_year: int, last_year: int) -> Timezone:
    """The VTIMEZONE from the year before to the year after: it then holds at least one offset
    rule (a zone without daylight saving, such as Asia/Shanghai, has no transition inside the
    meeting itself). Building it walks the zone's transitions (tens of milliseconds), so it is
    made once per zone and years and only read afterwards."""
    first, last = date(first_year - 1, 1, 1), date(last_year + 1, 12, 31)
    return Timezone.from_tzinfo(tz, first_date=first, last_date=last)
