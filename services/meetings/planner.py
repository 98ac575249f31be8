"""Meeting reminders planned from the database by `tick`: 7 days, 1 day and 2 hours before
the start, to every member not excused who wants meeting reminders; and after the meeting,
the one-tap log prompt to each member who checked in.

Each person's reminder is a delivery of its own, `meeting:42:T-1d:p7` (`meeting:42:v2:T-1d:p7`
after a change of time or place), through `schedule()`: quiet hours hold it unless the meeting
starts within 3 hours, and one that fell due while nothing ran goes out while still useful (a
7-day reminder until the 1-day one is due, and so on), or is recorded as missed.
A reminder that fell due before the current version was published is not sent: the notice of
the meeting, or of its change, went out after it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

import services.meetings.watch  # noqa: F401  (registers the quarter watch's planner)
from services.config import Settings
from services.deliveries.model import People, TemplateContent
from services.meetings import templates
from services.meetings.publish import base_key, notice_params
from services.meetings.replies import reminder_key
from services.scheduling.hints import look, rest
from services.scheduling.preferences import ReminderKind, reminder_settings_for
from services.scheduling.quiet import is_urgent
from services.scheduling.schedule import person_key, schedule
from services.scheduling.tick import register_planner
from storage.meeting_models import Answer, Meeting
from storage.meetings import (
    existing_keys,
    meetings_ended,
    meetings_starting,
    member_ids,
    replies_of,
)

HINT = "meeting_reminders"
# (name, how long before the start); each is useful until the next one is due.
LEADS = (("7d", timedelta(days=7)), ("1d", timedelta(days=1)), ("2h", timedelta(hours=2)))
# How long after the meeting its log prompt is still worth sending.
AFTER_USEFUL = timedelta(days=3)


def after_key(meeting: Meeting, person_id: int) -> str:
    return f"meeting:{meeting.id}:after:p{person_id}"


async def plan_reminders(*, session: AsyncSession, now: datetime, settings: Settings) -> list[str]:
    """Queue the reminders due at `now`; returns the dedupe keys handed to `schedule`."""
    # A day more than the first lead: a 7-day reminder counted on the calendar across a DST
    # change falls due an hour before or after 7 × 24 hours ahead of the start.
    horizon = now + LEADS[0][1] + timedelta(days=1)
    handed: list[str] = []
    for meeting in await meetings_starting(session=session, after=now, until=horizon):
        handed += await _remind(session, meeting, now, settings)
    return handed


async def _remind(
    session: AsyncSession, meeting: Meeting, now: datetime, settings: Settings
) -> list[str]:
    tz = settings.tz
    due = [
        (lead, due_at(meeting, index, tz), until(meeting, index, tz))
        for index, (lead, _before) in enumerate(LEADS)
        if meeting.updated_at <= due_at(meeting, index, tz) <= now
    ]
    if not due:
        return []
    assert meeting.id is not None  # noqa: S101 - a saved meeting
    replies = await replies_of(session=session, meeting_id=meeting.id)
    members = await member_ids(session=session, group_id=meeting.group_id)
    choices = await reminder_settings_for(session=session, person_ids=members, settings=settings)
    day = meeting.starts_at.astimezone(settings.tz).date()
    people = [
        pid
        for pid in members
        if (replies.get(pid) is None or replies[pid].answer != Answer.excused)
        and choices[pid].wants(ReminderKind.meeting, day)
    ]
    keys = {
        (lead, pid): person_key(reminder_key(meeting, lead), pid)
        for lead, *_ in due
        for pid in people
    }
    done = await existing_keys(session=session, keys=list(keys.values()))
    base = await notice_params(session, meeting, settings)
    handed = []
    for lead, when, last in due:
        content = TemplateContent(templates.REMINDER, {**base, "lead": lead})
        sent_on = when.astimezone(tz).date()
        for pid in people:
            key = keys[(lead, pid)]
            if key in done or _muted_on(choices[pid].muted_until, sent_on):
                continue
            await schedule(
                session=session,
                settings=settings,
                dedupe_key=key,
                audience=People((pid,)),
                content=content,
                due_at=when,
                useful_until=last,
                now=now,
                urgent=is_urgent(meeting.starts_at, now),
                kind="meeting",
            )
            handed.append(key)
    return handed


def _muted_on(muted_until: date | None, day: date) -> bool:
    """Muted until a date: no reminder goes out on a day up to it, even one about a meeting
    after it (which `wants` already leaves out when the meeting itself falls in the mute)."""
    return muted_until is not None and day <= muted_until


def due_at(meeting: Meeting, index: int, tz: ZoneInfo) -> datetime:
    """When the reminder LEADS[index] falls due. Days are counted on the local calendar, so a
    1-day reminder comes at the same wall-clock time the day before, across a DST change too;
    hours are counted on the clock."""
    before = LEADS[index][1]
    if before % timedelta(days=1):
        return meeting.starts_at - before
    # Aware arithmetic in one zone keeps the wall time; astimezone then finds the offset.
    return (meeting.starts_at.astimezone(tz) - before).astimezone(UTC)


def until(meeting: Meeting, index: int, tz: ZoneInfo) -> datetime:
    """A reminder is useful until the next one falls due (the last: until the start); at that
    moment only the next one goes."""
    if index + 1 < len(LEADS):
        return due_at(meeting, index + 1, tz) - timedelta(seconds=1)
    return meeting.starts_at


async def plan_after_prompts(
    *, session: AsyncSession, now: datetime, settings: Settings
) -> list[str]:
    """The one-tap log prompt to each checked-in member who has not logged the meeting."""
    handed: list[str] = []
    for meeting in await meetings_ended(session=session, since=now - AFTER_USEFUL, until=now):
        assert meeting.id is not None  # noqa: S101 - a saved meeting
        replies = await replies_of(session=session, meeting_id=meeting.id)
        people = [
            pid
            for pid, reply in sorted(replies.items())
            if reply.checked_in_at is not None and reply.activity_id is None
        ]
        keys = {pid: after_key(meeting, pid) for pid in people}
        done = await existing_keys(session=session, keys=list(keys.values()))
        base = await notice_params(session, meeting, settings)
        for pid in people:
            if keys[pid] in done:
                continue
            await schedule(
                session=session,
                settings=settings,
                dedupe_key=keys[pid],
                audience=People((pid,)),
                content=TemplateContent(templates.AFTER, base),
                due_at=meeting.ends_at,
                useful_until=meeting.ends_at + AFTER_USEFUL,
                now=now,
                kind="meeting",
            )
            handed.append(keys[pid])
    return handed


async def meeting_reminders(*, session: AsyncSession, now: datetime, settings: Settings) -> int:
    """The planner `tick` runs: meeting reminders and after-meeting prompts due now. Between
    them it rests (services.scheduling.hints), so an idle tick costs one read; a meeting
    published, moved or cancelled wakes it (storage.meetings.save_meeting)."""
    seen = await look(session=session, planner=HINT, now=now)
    if seen.skip:
        return 0
    reminders = await plan_reminders(session=session, now=now, settings=settings)
    prompts = await plan_after_prompts(session=session, now=now, settings=settings)
    until = await next_due(session=session, now=now, tz=settings.tz)
    await rest(session=session, planner=HINT, seen=seen, until=until, now=now, tz=settings.tz)
    return len(reminders) + len(prompts)


async def next_due(*, session: AsyncSession, now: datetime, tz: ZoneInfo) -> datetime | None:
    """The first moment after `now` a reminder or an after-meeting prompt falls due. A meeting
    starting beyond the horizon has its first reminder due after the next midnight, where
    every rest ends anyway."""
    horizon = now + LEADS[0][1] + timedelta(days=1)
    moments = [
        at
        for meeting in await meetings_starting(session=session, after=now, until=horizon)
        for at in [*(due_at(meeting, i, tz) for i in range(len(LEADS))), meeting.ends_at]
        if at > now
    ]
    # Meetings under way: their prompts at the end.
    moments += [
        meeting.ends_at
        for meeting in await meetings_ended(session=session, since=now, until=horizon)
        if meeting.ends_at > now
    ]
    return min(moments, default=None)


register_planner(meeting_reminders, hint=HINT)


__all__ = ["after_key", "base_key", "meeting_reminders", "plan_after_prompts", "plan_reminders"]
