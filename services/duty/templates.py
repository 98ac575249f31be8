"""The duty reminders as delivery templates, rendered in each recipient's language at send time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from html import escape
from typing import Any

from aiogram.utils.i18n import gettext as _

from services.dates import format_date
from services.deliveries.templates import Button, Pin, Recipient, Rendered, register
from storage.models import Station
from storage.rota_models import DutyAssignment

EVENING = "duty.evening"
MORNING = "duty.morning"
AFTER = "duty.after"
NO_SHOW = "duty.no_show"
SWAPPED = "duty.swapped"
DIGEST = "duty.digest"
# Callback data of the button that starts /log as a reception at the station on the day; the
# handler (handlers.duty_log) checks that the duty is the presser's own.
LOG_RECEPTION_PREFIX = "dlog"


def params(duty: DutyAssignment, station: Station) -> dict[str, Any]:
    return {
        "duty_id": duty.id,
        "station": station.name,
        "address": station.address or "",
        "day": duty.day.isoformat(),
        "starts": duty.starts_at.strftime("%H:%M"),
        "ends": duty.ends_at.strftime("%H:%M"),
        "latitude": station.latitude,
        "longitude": station.longitude,
    }


def _details(p: Mapping[str, Any], locale: str) -> str:
    day = date.fromisoformat(p["day"])
    lines = [
        _("Station: {station}").format(station=escape(p["station"])),
        _("Date: {day}").format(day=format_date(day, locale)),
        _("Hours: {starts}–{ends}").format(starts=p["starts"], ends=p["ends"]),
    ]
    if p.get("address"):
        lines.append(_("Address: {address}").format(address=escape(p["address"])))
    return "\n".join(lines)


def _map_button(p: Mapping[str, Any]) -> tuple[tuple[Button, ...], ...]:
    lat, lon = p.get("latitude"), p.get("longitude")
    if lat is None or lon is None:
        return ()
    url = f"https://www.openstreetmap.org/?mlat={float(lat):.6f}&mlon={float(lon):.6f}#map=17/{float(lat):.6f}/{float(lon):.6f}"
    return ((Button(_("📍 Location"), url=url),),)


def _log_button(p: Mapping[str, Any]) -> tuple[tuple[Button, ...], ...]:
    data = f"{LOG_RECEPTION_PREFIX}:{int(p['duty_id'])}"
    return ((Button(_("Log the reception"), callback_data=data),),)


def _pin(p: Mapping[str, Any]) -> Pin | None:
    lat, lon = p.get("latitude"), p.get("longitude")
    return None if lat is None or lon is None else Pin(float(lat), float(lon))


def render_evening(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    """With the station's location pin after the text, when staff shared one."""
    text = (
        _("<b>You are on duty tomorrow</b> (representative day)")
        + "\n"
        + _details(p, recipient.locale)
    )
    return Rendered(text, _map_button(p), _pin(p))


def render_morning(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    text = (
        _("<b>You are on duty today</b> (representative day)")
        + "\n"
        + _details(p, recipient.locale)
    )
    return Rendered(text, _map_button(p))


def render_after(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    text = _("Your duty today has ended. Log the reception: how many people came, which concerns.")
    return Rendered(text + "\n" + _details(p, recipient.locale), _log_button(p))


def render_no_show(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    text = _("No reception is logged for your duty. If you received constituents, log it now.")
    return Rendered(text + "\n" + _details(p, recipient.locale), _log_button(p))


def render_swapped(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    text = _("<b>Your duty was changed</b> by the liaison staff (a swap). Your duty now:")
    return Rendered(text + "\n" + _details(p, recipient.locale), _map_button(p))


def render_digest(p: Mapping[str, Any], recipient: Recipient) -> Rendered:
    """The week's reception days at the person's stations and who is on duty; their own duties;
    the meetings of their groups that week."""
    locale = recipient.locale
    monday = date.fromisoformat(p["monday"])
    lines = [
        _("<b>Representative day this week</b> (from {day})").format(
            day=format_date(monday, locale)
        )
    ]
    for station in p.get("stations", []):
        lines += ["", f"<b>{escape(station['name'])}</b>"]
        for item in station.get("days", []):
            comma = "、" if locale.startswith("zh") else ", "
            who = comma.join(escape(name) for name in item["names"]) or _("nobody on duty")
            day = format_date(date.fromisoformat(item["day"]), locale)
            lines.append(_("{day}: {who}").format(day=day, who=who))
        if not station.get("days"):
            lines.append(_("No reception day this week."))
    lines.append("")
    own = p.get("own", [])
    if not own:
        lines.append(_("You are not on duty this week."))
    else:
        lines.append(_("<b>Your duties</b>"))
        for item in own:
            day = format_date(date.fromisoformat(item["day"]), locale)
            lines.append(f"{day} {item['starts']}–{item['ends']} · {escape(item['station'])}")
    meetings = p.get("meetings", [])
    if meetings:
        lines += ["", _("<b>Group meetings this week</b>")]
    for item in meetings:
        day = format_date(date.fromisoformat(item["day"]), locale)
        lines.append(
            f"{day} {item['starts']}–{item['ends']} · {escape(item['title'])}"
            f" · {escape(item['place'])}"
        )
    return Rendered("\n".join(lines))


register(EVENING, render_evening)
register(MORNING, render_morning)
register(AFTER, render_after)
register(NO_SHOW, render_no_show)
register(SWAPPED, render_swapped)
register(DIGEST, render_digest)
