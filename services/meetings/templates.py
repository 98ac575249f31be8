"""What the delivery engine sends about a meeting, rendered in each recipient's language.

Buttons carry callback data that handlers.meeting_reply reads: an answer (`mrsvp:<id>:1`
attending, `:2` excused), the start of a check-in (`mchk:<id>`), the one-tap log (`mlog:<id>`)
and the calendar file (`mics:<id>`: the .ics of the meeting as it is at the press; the engine
sends files only by a Telegram file id, and the bot's own uploads get theirs after the
update commits). Each press is checked again there (a member of the group, the meeting on).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from services.dates import format_date, format_quarter
from services.deliveries.templates import Button, Recipient, Rendered, register
from services.text import esc
from storage.meeting_models import Meeting

NOTICE = "meeting.notice"
REMINDER = "meeting.reminder"
MOVED = "meeting.moved"
CANCELLED = "meeting.cancelled"
AFTER = "meeting.after"
WATCH = "meeting.watch"
WATCH_STAFF = "meeting.watch_staff"
# Groups named in one staff member's quarter watch; the rest are counted.
WATCH_LISTED = 30
RSVP_PREFIX = "mrsvp"
CHECKIN_PREFIX = "mchk"
LOG_PREFIX = "mlog"
ICS_PREFIX = "mics"
ATTEND, EXCUSED = 1, 2
Rows = tuple[tuple[Button, ...], ...]


def params(meeting: Meeting, *, group_name: str, tz: ZoneInfo) -> dict[str, Any]:
    return {
        "meeting_id": meeting.id,
        "version": meeting.version,
        "title": meeting.title,
        "group": group_name,
        "starts": meeting.starts_at.isoformat(),
        "ends": meeting.ends_at.isoformat(),
        "place": meeting.place,
        "agenda": meeting.agenda or "",
        "latitude": meeting.latitude,
        "longitude": meeting.longitude,
        "tz": tz.key,
    }


def when_text(starts: datetime, ends: datetime, tz: ZoneInfo, locale: str) -> str:
    start, end = starts.astimezone(tz), ends.astimezone(tz)
    text = f"{format_date(start.date(), locale)} {start:%H:%M}–"
    if end.date() != start.date():
        text += format_date(end.date(), locale) + " "
    return text + f"{end:%H:%M}"


def details(p: Mapping[str, Any], locale: str, *, agenda: bool = True) -> str:
    tz = ZoneInfo(str(p["tz"]))
    when = when_text(
        datetime.fromisoformat(p["starts"]), datetime.fromisoformat(p["ends"]), tz, locale
    )
    lines = [
        _("Meeting: {title}").format(title=f"<b>{esc(p['title'])}</b>"),
        _("Group: {group}").format(group=esc(p["group"])),
        _("Time: {when}").format(when=when),
        _("Place: {place}").format(place=esc(p["place"])),
    ]
    if agenda and p.get("agenda"):
        lines.append(_("Agenda: {agenda}").format(agenda=esc(p["agenda"])))
    return "\n".join(lines)


def map_row(p: Mapping[str, Any]) -> Rows:
    lat, lon = p.get("latitude"), p.get("longitude")
    if lat is None or lon is None:
        return ()
    lat, lon = float(lat), float(lon)
    url = f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"
    return ((Button(_("📍 Location"), url=url),),)


def rsvp_row(meeting_id: int) -> Rows:
    return (
        (
            Button(_("✅ I will attend"), callback_data=f"{RSVP_PREFIX}:{meeting_id}:{ATTEND}"),
            Button(_("🙏 Excused"), callback_data=f"{RSVP_PREFIX}:{meeting_id}:{EXCUSED}"),
        ),
    )


def ics_row(meeting_id: int) -> Rows:
    label = _("📅 Calendar file (.ics)")
    return ((Button(label, callback_data=f"{ICS_PREFIX}:{meeting_id}"),),)


def render_notice(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    head = _("<b>Group meeting</b> (代表小组活动): please tell us if you will attend.")
    text = head + "\n" + details(p, recipient.locale)
    meeting_id = int(p["meeting_id"])
    return Rendered(text, rsvp_row(meeting_id) + ics_row(meeting_id) + map_row(p))


def render_reminder(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    lead = p.get("lead")
    if lead == "2h":
        head = _("<b>Reminder:</b> the group meeting starts in 2 hours.")
        check = Button(_("Check in"), callback_data=f"{CHECKIN_PREFIX}:{int(p['meeting_id'])}")
        rows: Rows = ((check,),)
    elif lead == "1d":
        head = _("<b>Reminder:</b> the group meeting is tomorrow.")
        rows = rsvp_row(int(p["meeting_id"]))
    else:
        head = _("<b>Reminder:</b> the group meeting is in 7 days.")
        rows = rsvp_row(int(p["meeting_id"]))
    return Rendered(head + "\n" + details(p, recipient.locale), rows + map_row(p))


def render_moved(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    head = _("<b>The group meeting has changed.</b> Its time and place now:")
    text = head + "\n" + details(p, recipient.locale)
    meeting_id = int(p["meeting_id"])
    return Rendered(text, rsvp_row(meeting_id) + ics_row(meeting_id) + map_row(p))


def render_cancelled(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    head = _("<b>The group meeting is cancelled.</b>")
    return Rendered(head + "\n" + details(p, recipient.locale, agenda=False))


def render_after(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    head = _("Thank you for taking part. Log the meeting as a duty activity with one tap:")
    button = Button(
        _("Log it as my activity"), callback_data=f"{LOG_PREFIX}:{int(p['meeting_id'])}"
    )
    return Rendered(head + "\n" + details(p, recipient.locale, agenda=False), ((button,),))


def render_watch(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    quarter = format_quarter(int(p["year"]), int(p["quarter"]), recipient.locale)
    text = _(
        "Group {group} ({delegation}) has no meeting in {quarter} yet, and this is the "
        "quarter's last month. Schedule one with /meeting."
    ).format(group=f"<b>{esc(p['group'])}</b>", delegation=esc(p["delegation"]), quarter=quarter)
    return Rendered(text)


def render_watch_staff(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    quarter = format_quarter(int(p["year"]), int(p["quarter"]), recipient.locale)
    groups = list(p["groups"])
    lines = [
        _(
            "{count} groups of your delegations have no meeting in {quarter} yet, and this is "
            "the quarter's last month:"
        ).format(count=len(groups), quarter=quarter)
    ]
    lines += [f"• {esc(group)} ({esc(delegation)})" for group, delegation in groups[:WATCH_LISTED]]
    if len(groups) > WATCH_LISTED:
        lines.append(_("and {count} more").format(count=len(groups) - WATCH_LISTED))
    lines.append(_("Their leaders have been reminded too; /meeting schedules one."))
    return Rendered("\n".join(lines))


register(NOTICE, render_notice)
register(REMINDER, render_reminder)
register(MOVED, render_moved)
register(CANCELLED, render_cancelled)
register(AFTER, render_after)
register(WATCH, render_watch)
register(WATCH_STAFF, render_watch_staff)
