"""Texts of /meeting: the preview of a new meeting, the organiser's card, short answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from services.meetings.status import Status
from services.meetings.templates import when_text
from services.text import TELEGRAM_TEXT_LIMIT, esc

# Names shown per line of the organiser's card (the rest are counted), and the characters of
# each excuse shown: the card stays well inside one message whatever members wrote.
NAMES_SHOWN = 40
REASON_SHOWN = 40


def preview_text(
    *,
    group: str,
    title: str,
    starts: datetime,
    ends: datetime,
    place: str,
    located: bool,
    agenda: str | None,
    members: int,
    tz: ZoneInfo,
    locale: str,
) -> str:
    lines = [
        _("<b>Publish this meeting?</b> {count} members will be told at once.").format(
            count=members
        ),
        _("Meeting: {title}").format(title=f"<b>{esc(title)}</b>"),
        _("Group: {group}").format(group=esc(group)),
        _("Time: {when}").format(when=when_text(starts, ends, tz, locale)),
        _("Place: {place}").format(place=esc(place)),
    ]
    if located:
        lines.append(_("Location: shared from Telegram"))
    if agenda:
        lines.append(_("Agenda: {agenda}").format(agenda=esc(agenda)))
    return "\n".join(lines)


def _cut(text: str) -> str:
    return text if len(text) <= REASON_SHOWN else text[: REASON_SHOWN - 1] + "…"


def _names(names: Sequence[str]) -> str:
    shown = "、".join(esc(n) for n in names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += " " + _("and {count} more").format(count=len(names) - NAMES_SHOWN)
    return shown or "—"


def card_text(status: Status, tz: ZoneInfo, locale: str) -> str:
    meeting = status.meeting
    lines = [
        f"<b>{esc(meeting.title)}</b> · {esc(status.group)}",
        _("Time: {when}").format(when=when_text(meeting.starts_at, meeting.ends_at, tz, locale)),
        _("Place: {place}").format(place=esc(meeting.place)),
    ]
    if status.cancelled:
        lines.append(_("<b>Cancelled.</b>"))
        return "\n".join(lines)
    excused = [
        _("{name} ({reason})").format(name=name, reason=_cut(reason)) if reason else name
        for name, reason in status.excused
    ]
    groups = (
        (_("Attending ({count}): {names}"), status.attending),
        (_("Excused ({count}): {names}"), excused),
        (_("No answer ({count}): {names}"), status.no_answer),
        (_("Checked in ({count}): {names}"), status.checked_in),
    )
    full = [line.format(count=len(names), names=_names(names)) for line, names in groups]
    text = "\n".join(lines + full)
    if len(text) <= TELEGRAM_TEXT_LIMIT:
        return text
    # A very large group: the counts alone, so the card stays one message.
    return "\n".join(lines + [line.format(count=len(names), names="…") for line, names in groups])
