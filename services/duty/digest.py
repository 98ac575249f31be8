"""The weekly digest of the representative day, only for those who turn it on in /reminders.

On Monday at the person's digest time (local, TIMEZONE): the week's reception days at their
stations and who is on duty, their own duties, and the meetings of their groups that week (not
cancelled). Useful until Tuesday noon; a digest that could not go by then is recorded once as
missed. The key, `digest:2024-03-18:person12`, makes it go once a week however often `tick`
runs.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.config import Settings
from services.deliveries.model import TemplateContent
from services.duty import templates
from services.scheduling.hints import look, rest
from services.scheduling.preferences import PersonReminders, ReminderKind, resolve
from services.scheduling.schedule import Reminder, schedule_many
from services.scheduling.tick import register_planner
from services.workdays import month_days
from storage.meeting_models import Meeting
from storage.meetings import members_meetings_between
from storage.models import Station
from storage.rota import (
    delivery_keys,
    duties_between,
    on_roster,
    people_by_id,
    stations_by_id,
    stations_of,
)
from storage.rota_models import DutyAssignment
from storage.scheduling import missed_keys, rows_mentioning

DIGEST_WEEKDAY = 0  # Monday
HINT = "digest"
USEFUL_UNTIL = (timedelta(days=1), time(12, 0))  # Tuesday noon


def digest_key(monday: date, person_id: int) -> str:
    return f"digest:{monday.isoformat()}:person{person_id}"


async def _subscribers(
    session: AsyncSession, settings: Settings, monday: date
) -> list[PersonReminders]:
    rows = await rows_mentioning(session=session, kind=ReminderKind.digest.value)
    found = [resolve(row, row.person_id, settings) for row in rows]
    return [p for p in found if p.wants(ReminderKind.digest, monday)]


def _params(
    monday: date,
    mine: set[int],
    own: list[DutyAssignment],
    by_station: dict[int, list[DutyAssignment]],
    receptions: dict[int, list[date]],
    stations: dict[int, Station],
    names: dict[int, str],
) -> dict[str, Any]:
    listed = []
    for station_id in sorted(mine & stations.keys(), key=lambda sid: stations[sid].name):
        here = by_station.get(station_id, [])
        days = sorted({*receptions.get(station_id, []), *(d.day for d in here)})
        listed.append(
            {
                "name": stations[station_id].name,
                "days": [
                    {
                        "day": day.isoformat(),
                        "names": [names.get(d.person_id, "?") for d in here if d.day == day],
                    }
                    for day in days
                ],
            }
        )
    duties = [
        {
            "day": d.day.isoformat(),
            "station": stations[d.station_id].name if d.station_id in stations else "?",
            "starts": f"{d.starts_at:%H:%M}",
            "ends": f"{d.ends_at:%H:%M}",
        }
        for d in own
    ]
    return {"monday": monday.isoformat(), "stations": listed, "own": duties}


def _meetings(meetings: list[Meeting], tz: tzinfo) -> list[dict[str, str]]:
    """The week's meetings of the person's groups, in local time."""
    return [
        {
            "title": m.title,
            "day": m.starts_at.astimezone(tz).date().isoformat(),
            "starts": f"{m.starts_at.astimezone(tz):%H:%M}",
            "ends": f"{m.ends_at.astimezone(tz):%H:%M}",
            "place": m.place,
        }
        for m in meetings
    ]


async def plan_digests(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """Queue the digests due at `now`; how many were queued."""
    count, _next_at = await _plan(session, now, settings)
    return count


async def _plan(
    session: AsyncSession, now: datetime, settings: Settings
) -> tuple[int, datetime | None]:
    """How many digests were queued, and when the next could fall due."""
    tz = settings.tz
    today = now.astimezone(tz).date()
    monday = today - timedelta(days=(today.weekday() - DIGEST_WEEKDAY) % 7)
    until = datetime.combine(monday + USEFUL_UNTIL[0], USEFUL_UNTIL[1], tzinfo=tz)
    next_week = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=tz)
    if now > until + timedelta(days=1):  # later in the week: nothing to send or record
        return 0, next_week

    def at(person: PersonReminders) -> datetime:
        return datetime.combine(monday, person.at(ReminderKind.digest) or time(8), tzinfo=tz)

    subscribers = await _subscribers(session, settings, monday)
    later = min((at(p) for p in subscribers if at(p) > now), default=None)
    due = [p for p in subscribers if at(p) <= now]
    listed = await on_roster(session=session, person_ids=[p.person_id for p in due])
    keys = {p.person_id: digest_key(monday, p.person_id) for p in due if p.person_id in listed}
    done = await delivery_keys(session=session, keys=list(keys.values()))
    done |= await missed_keys(session=session, dedupe_keys=list(keys.values()))
    keys = {pid: key for pid, key in keys.items() if key not in done}
    if not keys:
        return 0, later
    sunday = monday + timedelta(days=6)
    week = await duties_between(session=session, first=monday, last=sunday)
    working = await month_days(session, monday, sunday)
    mine = await stations_of(session=session, person_ids=keys)
    wanted = {sid for ids in mine.values() for sid in ids} | {d.station_id for d in week}
    stations = await stations_by_id(session=session, ids=wanted)
    receptions = {
        sid: [
            day for day, works in working.items() if works and day.weekday() == s.reception_weekday
        ]
        for sid, s in stations.items()
    }
    week = [d for d in week if working[d.day]]
    names = await people_by_id(session=session, ids=[d.person_id for d in week])
    by_station: dict[int, list[DutyAssignment]] = {}
    by_person: dict[int, list[DutyAssignment]] = {}
    for duty in week:
        by_station.setdefault(duty.station_id, []).append(duty)
        by_person.setdefault(duty.person_id, []).append(duty)
    meetings = await members_meetings_between(
        session=session,
        person_ids=list(keys),
        first=datetime.combine(monday, time(0), tzinfo=tz),
        last=next_week,
    )
    choices = {p.person_id: p for p in due}
    reminders = [
        Reminder(
            dedupe_key=key,
            person_id=person_id,
            content=TemplateContent(
                templates.DIGEST,
                _params(
                    monday,
                    mine.get(person_id, set()),
                    by_person.get(person_id, []),
                    by_station,
                    receptions,
                    stations,
                    names,
                )
                | {"meetings": _meetings(meetings.get(person_id, []), tz)},
            ),
            due_at=at(choices[person_id]),
            useful_until=until,
        )
        for person_id, key in keys.items()
    ]
    queued, _missed = await schedule_many(
        session=session,
        settings=settings,
        reminders=reminders,
        now=now,
        kind="digest",
        choices=choices,
    )
    count = len(queued)
    return count, later


async def weekly_digest(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The planner `tick` runs: the weekly digests due now; it rests in between."""
    seen = await look(session=session, planner=HINT, now=now)
    if seen.skip:
        return 0
    count, later = await _plan(session, now, settings)
    await rest(session=session, planner=HINT, seen=seen, until=later, now=now, tz=settings.tz)
    return count


register_planner(weekly_digest, hint=HINT)
