"""Reminders to the people on duty, planned from the roster in the database.

Each reminder is a delivery with a dedupe key (`duty:station7:2024-03-20:eve:person12`), so
running a planner again, after a restart or in a second process, queues nothing twice. A reminder
is sent only inside its window (the evening notice until the reception starts, the morning one
until noon, the after-hours prompt until the no-show check, the no-show reminder until the end of
that day); one that fell due while nothing ran and whose window has closed is returned as skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TemplateContent
from services.duty import templates
from services.scheduling.tick import register_planner
from services.workdays import is_working_day
from storage.models import Station
from storage.rota import delivery_keys, duties_between, get_station, reception_logged
from storage.rota_models import DutyAssignment


@dataclass(frozen=True)
class DutyTimes:
    """Local times of the reminders (settings.timezone)."""

    evening: time = time(19, 0)
    morning: time = time(8, 0)
    morning_until: time = time(12, 0)
    after: time = time(17, 0)
    no_show: time = time(12, 0)


@dataclass
class Planned:
    queued: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Due:
    kind: str
    template_id: str
    at: datetime
    until: datetime


REMINDER_KINDS = ("eve", "morning", "after", "noshow")


def duty_key(duty: DutyAssignment, kind: str) -> str:
    return f"duty:station{duty.station_id}:{duty.day.isoformat()}:{kind}:person{duty.person_id}"


def _local(day: date, at: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=tz)


def _windows(duty: DutyAssignment, times: DutyTimes, tz: ZoneInfo) -> list[_Due]:
    day, next_day = duty.day, duty.day + timedelta(days=1)
    after = max(times.after, duty.ends_at)
    no_show = _local(next_day, times.no_show, tz)
    return [
        _Due(
            "eve",
            templates.EVENING,
            _local(day - timedelta(days=1), times.evening, tz),
            _local(day, duty.starts_at, tz),
        ),
        _Due(
            "morning",
            templates.MORNING,
            _local(day, times.morning, tz),
            _local(day, max(times.morning_until, times.morning), tz),
        ),
        _Due("after", templates.AFTER, _local(day, after, tz), no_show),
        _Due(
            "noshow", templates.NO_SHOW, no_show, _local(next_day + timedelta(days=1), time(0), tz)
        ),
    ]


async def plan_duty_reminders(
    *,
    session: AsyncSession,
    now: datetime,
    settings: Settings,
    times: DutyTimes = DutyTimes(),
) -> Planned:
    """Queue every duty reminder due at `now` and still inside its window, in the caller's
    transaction; return the keys queued now and those whose window closed unsent."""
    tz = settings.tz
    today = now.astimezone(tz).date()
    duties = await duties_between(
        session=session, first=today - timedelta(days=2), last=today + timedelta(days=1)
    )
    planned = Planned()
    stations: dict[int, Station | None] = {}
    working: dict[date, bool] = {}
    for duty in duties:
        if duty.day not in working:
            working[duty.day] = await is_working_day(session, duty.day)
        if not working[duty.day]:
            continue
        due = [item for item in _windows(duty, times, tz) if item.at <= now]
        keys = {item.kind: duty_key(duty, item.kind) for item in due}
        done = await delivery_keys(session=session, keys=list(keys.values()))
        for item in due:
            key = keys[item.kind]
            if key in done:
                continue
            if now >= item.until:
                planned.skipped.append(key)
                continue
            if item.kind in ("after", "noshow") and await reception_logged(
                session=session, person_id=duty.person_id, day=duty.day
            ):
                continue
            if duty.station_id not in stations:
                stations[duty.station_id] = await get_station(
                    session=session, station_id=duty.station_id
                )
            station = stations[duty.station_id]
            if station is None:
                continue
            await enqueue(
                session=session,
                dedupe_key=key,
                audience=People((duty.person_id,)),
                content=TemplateContent(item.template_id, templates.params(duty, station)),
                not_before=now,
            )
            planned.queued.append(key)
    return planned


@register_planner
async def duty_reminders(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The planner `tick` runs (services.scheduling.tick): the duty reminders due now."""
    planned = await plan_duty_reminders(session=session, now=now, settings=settings)
    return len(planned.queued)
