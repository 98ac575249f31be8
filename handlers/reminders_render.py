"""The /reminders card: each reminder kind on or off with its time, quiet hours, and the dates
someone is muted or away until; its buttons."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __
from aiogram.utils.keyboard import InlineKeyboardBuilder

from services.dates import format_date
from services.scheduling.preferences import DEFAULTS, PersonReminders, ReminderKind

KIND_NAMES = {
    ReminderKind.duty_evening: __("Evening before my duty"),
    ReminderKind.duty_morning: __("Morning of my duty"),
    ReminderKind.duty_after: __("After duty: log the reception"),
    ReminderKind.duty_no_show: __("Nothing logged by the next day"),
    ReminderKind.meeting: __("Group meetings"),
    ReminderKind.digest: __("Weekly digest"),
}


class RemAction(StrEnum):
    """What a button does; anything else in its data does not unpack and is a stale button."""

    toggle = "tog"
    times = "time"
    time_of = "at"
    quiet = "quiet"
    mute = "mute"
    away = "away"
    unmute = "unmute"
    back = "back"


class RemCallback(CallbackData, prefix="rem"):
    action: RemAction
    kind: ReminderKind | None = None


def card_text(choices: PersonReminders, locale: str) -> str:
    lines = [_("<b>My reminders</b>"), ""]
    for kind in ReminderKind:
        choice = choices.kinds[kind]
        mark = "✅" if choice.on else "⬜"
        when = (
            choice.at.strftime("%H:%M")
            if choice.at is not None
            else _("7 days, 1 day and 2 hours before")
        )
        lines.append(f"{mark} {KIND_NAMES[kind]} — {when}")
    quiet = choices.quiet
    lines += [
        "",
        _("Quiet hours: {start}–{end}").format(
            start=quiet.start.strftime("%H:%M"), end=quiet.end.strftime("%H:%M")
        ),
    ]
    if choices.muted_until is not None:
        day = format_date(choices.muted_until, locale)
        lines.append(_("🔕 Muted until {day} (inclusive)").format(day=day))
    if choices.unavailable_until is not None:
        day = format_date(choices.unavailable_until, locale)
        lines.append(_("✈️ Unavailable until {day}: no duty, no reminders").format(day=day))
    lines += ["", _("Tap a reminder to turn it on or off.")]
    return "\n".join(lines)


def card_keyboard(choices: PersonReminders) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in ReminderKind:
        mark = "✅" if choices.kinds[kind].on else "⬜"
        builder.button(
            text=f"{mark} {KIND_NAMES[kind]}",
            callback_data=RemCallback(action=RemAction.toggle, kind=kind),
        )
    muted, away = choices.muted_until is not None, choices.unavailable_until is not None
    for text, action in (
        (_("🕒 Change a time"), RemAction.times),
        (_("🌙 Quiet hours"), RemAction.quiet),
        (
            _("🔔 Unmute") if muted else _("🔕 Mute until…"),
            RemAction.unmute if muted else RemAction.mute,
        ),
        (
            _("🏠 Available again") if away else _("✈️ Unavailable until…"),
            RemAction.back if away else RemAction.away,
        ),
    ):
        builder.button(text=text, callback_data=RemCallback(action=action))
    builder.adjust(*([1] * len(ReminderKind)), 2, 2)
    return builder.as_markup()


def times_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind in ReminderKind:
        if DEFAULTS[kind].at is not None:
            builder.button(
                text=str(KIND_NAMES[kind]),
                callback_data=RemCallback(action=RemAction.time_of, kind=kind),
            )
    builder.adjust(1)
    return builder.as_markup()
