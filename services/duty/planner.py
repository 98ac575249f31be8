"""Reminders to the people on duty, planned from the roster and each person's settings.

Each reminder is a delivery with a dedupe key (`duty:station7:2024-03-20:eve:person12`), so
running a planner again, after a restart or in a second process, queues nothing twice. It goes
through `services.scheduling.schedule`: held through the person's quiet hours unless the
reception starts within three hours, and sent only inside its window (the evening notice until
the reception starts, the morning one until noon, the after-hours prompt until the no-show
check, the no-show reminder until the end of that day). One that fell due while nothing ran and
whose window has closed is recorded once as a MissedReminder, for staff to see.

Nothing goes to someone who turned that kind off, is muted or unavailable on the day, or was
removed from the roster (no active mandate); a duty removed or swapped away has no row for the
day, so nothing is planned for it. Times are each person's own (/reminders), local in TIMEZONE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.deliveries.control import cancel
from services.deliveries.model import TemplateContent
from services.duty import templates
from services.scheduling.hints import look, rest
from services.scheduling.preferences import PersonReminders, ReminderKind, reminder_settings_for
from services.scheduling.schedule import Reminder, schedule_many
from services.scheduling.tick import register_planner
from services.workdays import month_days
from storage.delivery_models import DeliveryState
from storage.rota import (
    deliveries_with_keys,
    delivery_keys,
    duties_between,
    on_roster,
    receptions_logged,
    stations_by_id,
)
from storage.rota_models import DutyAssignment
from storage.scheduling import missed_keys

# The morning notice is useful until noon (or an hour after a later chosen time).
MORNING_UNTIL = time(12, 0)
REMINDER_KINDS = ("eve", "morning", "after", "noshow")
HINT = "duty"
_PROMPTS = ("after", "noshow")
UNSENT = (DeliveryState.scheduled, DeliveryState.sending, DeliveryState.paused)


@dataclass
class Planned:
    queued: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    # The earliest moment a reminder of the duties looked at falls due after now, if any.
    next_at: datetime | None = None


@dataclass(frozen=True)
class Due:
    kind: str
    choice: ReminderKind
    template_id: str
    at: datetime
    until: datetime


async def cancel_queued(*, session: AsyncSession, keys: Sequence[str], now: datetime) -> int:
    """Cancel the deliveries under these keys that are not sent yet; how many."""
    cancelled = 0
    for delivery in await deliveries_with_keys(session=session, keys=keys):
        if delivery.state in UNSENT and delivery.id is not None:
            await cancel(session=session, delivery_id=delivery.id, now=now)
            cancelled += 1
    return cancelled


def duty_key(duty: DutyAssignment, kind: str) -> str:
    return f"duty:station{duty.station_id}:{duty.day.isoformat()}:{kind}:person{duty.person_id}"


def _local(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def windows(duty: DutyAssignment, person: PersonReminders, tz: ZoneInfo) -> list[Due]:
    """The four reminders of a duty at this person's times, each with the end of its use."""
    day, next_day = duty.day, duty.day + timedelta(days=1)

    def at(kind: ReminderKind) -> time:
        return person.at(kind) or time(12, 0)

    morning = _local(day, at(ReminderKind.duty_morning), tz)
    no_show = _local(next_day, at(ReminderKind.duty_no_show), tz)
    return [
        Due(
            "eve",
            ReminderKind.duty_evening,
            templates.EVENING,
            _local(day - timedelta(days=1), at(ReminderKind.duty_evening), tz),
            _local(day, duty.starts_at, tz),
        ),
        Due(
            "morning",
            ReminderKind.duty_morning,
            templates.MORNING,
            morning,
            max(_local(day, MORNING_UNTIL, tz), morning + timedelta(hours=1)),
        ),
        Due(
            "after",
            ReminderKind.duty_after,
            templates.AFTER,
            _local(day, max(at(ReminderKind.duty_after), duty.ends_at), tz),
            no_show,
        ),
        Due(
            "noshow",
            ReminderKind.duty_no_show,
            templates.NO_SHOW,
            no_show,
            _local(next_day + timedelta(days=1), time(0), tz),
        ),
    ]


async def plan_duty_reminders(
    *, session: AsyncSession, now: datetime, settings: Settings
) -> Planned:
    """Queue every duty reminder due at `now` and still useful, in the caller's transaction;
    record those whose window closed unsent. Returns the keys queued and recorded missed now.
    A few queries for all duties together, whatever their number, and `schedule_many`."""
    tz = settings.tz
    today = now.astimezone(tz).date()
    first, last = today - timedelta(days=2), today + timedelta(days=1)
    working = await month_days(session, first, last)
    duties = [
        d for d in await duties_between(session=session, first=first, last=last) if working[d.day]
    ]
    people = {duty.person_id for duty in duties}
    choices = await reminder_settings_for(session=session, person_ids=people, settings=settings)
    listed = await on_roster(session=session, person_ids=people)
    wanted, unwanted = [], []
    for duty in duties:
        person = choices[duty.person_id]
        for item in windows(duty, person, tz):
            if duty.person_id in listed and person.wants(item.choice, duty.day):
                wanted.append((duty, item))
            elif item.at <= now < item.until:
                unwanted.append(duty_key(duty, item.kind))
    # Queued before its person turned it off, muted it, went away or left the roster, and held
    # (quiet hours) since: it is not sent after all.
    await cancel_queued(session=session, keys=unwanted, now=now)
    due = [(duty, item, duty_key(duty, item.kind)) for duty, item in wanted if item.at <= now]
    planned = Planned(next_at=min((i.at for _d, i in wanted if i.at > now), default=None))
    if not due:
        return planned
    keys = [key for _duty, _item, key in due]
    done = await delivery_keys(session=session, keys=keys)
    done |= await missed_keys(session=session, dedupe_keys=[k for k in keys if k not in done])
    due = [entry for entry in due if entry[2] not in done]
    prompted = {duty.person_id for duty, item, _key in due if item.kind in _PROMPTS}
    logged = await receptions_logged(session=session, person_ids=prompted, first=first, last=last)
    stations = await stations_by_id(session=session, ids={duty.station_id for duty, *_ in due})
    reminders = [
        Reminder(
            dedupe_key=key,
            person_id=duty.person_id,
            content=TemplateContent(
                item.template_id, templates.params(duty, stations[duty.station_id])
            ),
            due_at=item.at,
            useful_until=item.until,
            starts_at=None if item.kind in _PROMPTS else _local(duty.day, duty.starts_at, tz),
        )
        for duty, item, key in due
        if duty.station_id in stations
        and not (item.kind in _PROMPTS and (duty.person_id, duty.day) in logged)
    ]
    planned.queued, planned.missed = await schedule_many(
        session=session,
        settings=settings,
        reminders=reminders,
        now=now,
        kind="duty",
        choices=choices,
    )
    return planned


async def duty_reminders(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The planner `tick` runs (services.scheduling.tick): the duty reminders due now; between
    them it rests (services.scheduling.hints) and an idle tick costs one read."""
    seen = await look(session=session, planner=HINT, now=now)
    if seen.skip:
        return 0
    planned = await plan_duty_reminders(session=session, now=now, settings=settings)
    await rest(
        session=session, planner=HINT, seen=seen, until=planned.next_at, now=now, tz=settings.tz
    )
    return len(planned.queued)


register_planner(duty_reminders, hint=HINT)
