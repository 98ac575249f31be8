"""How concerns read: names of categories and states, the draft card and the concern's card."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import gettext as _

from services.concerns import ConcernState
from services.concerns.categories import category_label
from services.concerns.flow import ConcernDraft
from services.concerns.listing import age_days
from services.concerns.transitions import STATE_LABELS, IllegalTransition
from services.concerns.viewing import ConcernView
from services.dates import format_date, local_today
from services.text import esc

# How much of a summary a line of a list repeats.
PREVIEW = 60


def category_text(code: str) -> str:
    """The category's name in the reader's language, or its code when it has none (unescaped)."""
    label = category_label(code)
    return _(label) if label is not None else code


def state_text(state: ConcernState) -> str:
    return _(STATE_LABELS[state])


def age_text(days: int) -> str:
    # "d" rather than a plural: the same words for every number, in both languages.
    return _("{days} d").format(days=days)


def preview(summary: str) -> str:
    line = " ".join(summary.split())
    return esc(line if len(line) <= PREVIEW else line[: PREVIEW - 1] + "…")


def refusal_text(error: IllegalTransition, concern_id: int) -> str:
    current = state_text(error.current)
    if not error.allowed:
        return _("Concern #{id} is {state}; it cannot change any more.").format(
            id=concern_id, state=current
        )
    allowed = _(", ").join(state_text(state) for state in error.allowed)
    return _("Concern #{id} is {state}; from there it can only become: {allowed}.").format(
        id=concern_id, state=current, allowed=allowed
    )


def _contact_lines(consent: bool | None, name: str | None, phone: str | None) -> list[str]:
    if not consent:
        return [_("Constituent's consent: no (no contact kept)")]
    return [
        _("Constituent's consent: yes"),
        _("Constituent's name: {name}").format(name=esc(name or "—")),
        _("Constituent's phone: {phone}").format(phone=esc(phone or "—")),
    ]


def draft_text(draft: ConcernDraft) -> str:
    lines = [
        "<b>" + _("Please check the concern before saving:") + "</b>",
        _("Category: {category}").format(category=esc(category_text(draft.category or ""))),
        _("Place: {place}").format(place=esc(draft.place or "—")),
        _("Photo: {photo}").format(photo=_("attached") if draft.photo_file_id else _("none")),
        *_contact_lines(draft.consent, draft.constituent_name, draft.constituent_phone),
        _("Summary:"),
        esc(draft.summary or ""),
    ]
    return "\n".join(lines)


def card_text(view: ConcernView, *, now: datetime, tz: ZoneInfo, locale: str) -> str:
    concern = view.row.concern
    created = local_today(concern.created_at, tz)
    head = _("Concern #{id}").format(id=concern.id)
    lines = [
        f"<b>{head}</b> · {esc(category_text(concern.category))} · {state_text(concern.state)}",
        _("Representative: {name}").format(name=esc(view.row.representative)),
        _("Recorded: {date}, {age} ago").format(
            date=format_date(created, locale), age=age_text(age_days(concern.created_at, now, tz))
        ),
        _("Place: {place}").format(place=esc(concern.place or "—")),
    ]
    if concern.photo_file_id:
        lines.append(_("Photo: {photo}").format(photo=_("attached")))
    if concern.department:
        lines.append(_("Department: {department}").format(department=esc(concern.department)))
    if concern.contact_erased_at is not None:
        erased = format_date(local_today(concern.contact_erased_at, tz), locale)
        lines.append(_("Constituent's contact: erased on request, {date}").format(date=erased))
    else:
        lines += _contact_lines(
            concern.consent, concern.constituent_name, concern.constituent_phone
        )
    lines += [_("Summary:"), esc(concern.summary), "", "<b>" + _("Timeline:") + "</b>"]
    for event in view.events:
        parts = [format_date(local_today(event.at, tz), locale), state_text(event.state)]
        parts += [esc(value) for value in (event.department, event.note) if value]
        lines.append("• " + " · ".join(parts))
    return "\n".join(lines)
