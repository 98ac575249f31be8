"""Texts of /duty: a station's month, a representative's coming duties, the swap card."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiogram.utils.i18n import gettext as _

from services.dates import format_date
from services.duty.roster import DayOfDuty
from services.text import esc


def _hours(duty: Any) -> str:
    return f"{duty.starts_at:%H:%M}–{duty.ends_at:%H:%M}"


def month_text(station: str, year: int, month: int, days: Sequence[DayOfDuty], locale: str) -> str:
    lines = [f"<b>{esc(station)}</b> · {year}-{month:02d}"]
    for item in days:
        who = "、".join(esc(name) for _duty, name in item.people) or _("nobody on duty")
        mark = "" if item.reception else " " + _("(not a reception day)")
        lines.append(_("{day}: {who}").format(day=format_date(item.day, locale), who=who) + mark)
    if len(lines) == 1:
        lines.append(_("No reception day this month."))
    return "\n".join(lines)


def duty_lines(duties: Sequence[tuple[Any, Any]], locale: str) -> list[str]:
    lines = []
    for duty, station in duties:
        line = f"{format_date(duty.day, locale)} {_hours(duty)} · {esc(station.name)}"
        if station.address:
            line += f" · {esc(station.address)}"
        lines.append(line)
    return lines


def swap_card(first: Any, first_name: str, second: Any, second_name: str, locale: str) -> str:
    return "\n".join(
        [
            _("<b>Swap these two duties?</b> Both representatives will be told."),
            _("{name}: {old} → {new}").format(
                name=esc(first_name),
                old=format_date(first.day, locale),
                new=format_date(second.day, locale),
            ),
            _("{name}: {old} → {new}").format(
                name=esc(second_name),
                old=format_date(second.day, locale),
                new=format_date(first.day, locale),
            ),
        ]
    )
