"""Each person's reminder settings, with the defaults filled in, as planners and /reminders
read them; and the changes /reminders makes."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.scheduling.quiet import QuietHours
from storage.scheduling import reminder_row, reminder_rows, save_reminder_row
from storage.scheduling_models import ReminderSettings


class ReminderKind(StrEnum):
    duty_evening = "duty_evening"
    duty_morning = "duty_morning"
    duty_after = "duty_after"
    duty_no_show = "duty_no_show"
    meeting = "meeting"
    digest = "digest"


@dataclass(frozen=True)
class KindChoice:
    """A reminder kind on or off, and the local time it goes out (None: set by its event, as
    meeting reminders are: 7 days, 1 day and 2 hours before)."""

    on: bool
    at: time | None


DEFAULTS: Mapping[ReminderKind, KindChoice] = {
    ReminderKind.duty_evening: KindChoice(True, time(19, 0)),
    ReminderKind.duty_morning: KindChoice(True, time(8, 0)),
    ReminderKind.duty_after: KindChoice(True, time(17, 0)),
    # The day after the duty, when nothing is logged by then.
    ReminderKind.duty_no_show: KindChoice(True, time(12, 0)),
    ReminderKind.meeting: KindChoice(True, None),
    ReminderKind.digest: KindChoice(False, time(8, 0)),
}


@dataclass(frozen=True)
class PersonReminders:
    person_id: int
    kinds: Mapping[ReminderKind, KindChoice]
    quiet: QuietHours
    muted_until: date | None
    unavailable_until: date | None

    def unavailable_on(self, day: date) -> bool:
        """Away (travel, illness) on `day`: no duty that day, no reminders either."""
        return self.unavailable_until is not None and day <= self.unavailable_until

    def wants(self, kind: ReminderKind, day: date) -> bool:
        """Whether a reminder of `kind` about `day` (local date) should reach this person."""
        if not self.kinds[kind].on or self.unavailable_on(day):
            return False
        return self.muted_until is None or day > self.muted_until

    def at(self, kind: ReminderKind) -> time | None:
        return self.kinds[kind].at


def default_quiet(settings: Settings) -> QuietHours:
    return QuietHours(settings.quiet_hours_start, settings.quiet_hours_end)


def resolve(row: ReminderSettings | None, person_id: int, settings: Settings) -> PersonReminders:
    saved = row.kinds if row is not None else {}
    kinds = {kind: _choice(kind, saved.get(kind.value)) for kind in ReminderKind}
    base = default_quiet(settings)
    quiet = QuietHours(
        (row.quiet_start if row else None) or base.start,
        (row.quiet_end if row else None) or base.end,
    )
    return PersonReminders(
        person_id=person_id,
        kinds=kinds,
        quiet=quiet,
        muted_until=row.muted_until if row else None,
        unavailable_until=row.unavailable_until if row else None,
    )


def _choice(kind: ReminderKind, saved: object) -> KindChoice:
    default = DEFAULTS[kind]
    if not isinstance(saved, dict):
        return default
    on = saved.get("on", default.on)
    at = default.at
    if default.at is not None and isinstance(saved.get("at"), str):
        try:
            at = time.fromisoformat(saved["at"])
        except ValueError:
            at = default.at
    return KindChoice(bool(on), at)


async def reminder_settings_for(
    *, session: AsyncSession, person_ids: Collection[int], settings: Settings
) -> dict[int, PersonReminders]:
    """Every listed person's reminder settings (defaults where they changed nothing)."""
    rows = await reminder_rows(session=session, person_ids=person_ids)
    return {pid: resolve(rows.get(pid), pid, settings) for pid in set(person_ids)}


async def person_reminders(
    *, session: AsyncSession, person_id: int, settings: Settings
) -> PersonReminders:
    return resolve(await reminder_row(session=session, person_id=person_id), person_id, settings)


async def toggle_kind(
    *, session: AsyncSession, person_id: int, kind: ReminderKind, settings: Settings
) -> PersonReminders:
    row = await reminder_row(session=session, person_id=person_id)
    current = resolve(row, person_id, settings).kinds[kind]
    _set_kind(row, kind, on=not current.on)
    await save_reminder_row(session=session, row=row)
    return resolve(row, person_id, settings)


async def set_kind_time(
    *, session: AsyncSession, person_id: int, kind: ReminderKind, at: time, settings: Settings
) -> PersonReminders:
    if DEFAULTS[kind].at is None:
        raise ValueError(f"{kind} has no time of its own")
    row = await reminder_row(session=session, person_id=person_id)
    _set_kind(row, kind, at=at.replace(second=0, microsecond=0).isoformat(timespec="minutes"))
    await save_reminder_row(session=session, row=row)
    return resolve(row, person_id, settings)


async def set_quiet_hours(
    *, session: AsyncSession, person_id: int, quiet: QuietHours, settings: Settings
) -> PersonReminders:
    row = await reminder_row(session=session, person_id=person_id)
    row.quiet_start, row.quiet_end = quiet.start, quiet.end
    await save_reminder_row(session=session, row=row)
    return resolve(row, person_id, settings)


async def set_until(
    *,
    session: AsyncSession,
    person_id: int,
    field: str,
    until: date | None,
    settings: Settings,
) -> PersonReminders:
    """`field`: "muted_until" or "unavailable_until"; None clears it."""
    if field not in ("muted_until", "unavailable_until"):
        raise ValueError(field)
    row = await reminder_row(session=session, person_id=person_id)
    setattr(row, field, until)
    await save_reminder_row(session=session, row=row)
    return resolve(row, person_id, settings)


def _set_kind(row: ReminderSettings, kind: ReminderKind, **change: object) -> None:
    # A new dict, so that the JSON column is seen as changed.
    kinds = dict(row.kinds or {})
    kinds[kind.value] = {**dict(kinds.get(kind.value) or {}), **change}
    row.kinds = kinds
