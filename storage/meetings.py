"""Queries of the group meetings: meetings, members of a group, replies, staff of a delegation."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.delivery_models import Delivery, DeliveryState
from storage.duty_models import ActivityType
from storage.meeting_models import Meeting, MeetingReply, MeetingState
from storage.models import Delegation, Group, Mandate, Person, StaffMember, StaffRole, StaffScope
from storage.scheduling import wake_planners


async def get_meeting(*, session: AsyncSession, meeting_id: int) -> Meeting | None:
    return await session.get(Meeting, meeting_id)


async def save_meeting(*, session: AsyncSession, meeting: Meeting) -> Meeting:
    """A meeting published, moved or cancelled: saved, and the resting planners woken (its
    reminders may now fall due before they meant to look again)."""
    session.add(meeting)
    await session.flush()
    await wake_planners(session=session)
    return meeting


async def get_group(*, session: AsyncSession, group_id: int) -> Group | None:
    return await session.get(Group, group_id)


async def groups_with_delegation(
    *, session: AsyncSession, scope: Collection[int] | None, group_ids: Collection[int]
) -> list[tuple[Group, str]]:
    """Groups of the delegations in `scope` (None: all), and the groups `group_ids` whatever
    their delegation, each with its delegation's name; by delegation, then group name."""
    query = select(Group, Delegation.name).join(
        Delegation, col(Delegation.id) == col(Group.delegation_id)
    )
    conditions = [col(Group.id).in_(list(group_ids))]
    if scope is None:
        conditions.append(col(Group.id).is_not(None))
    else:
        conditions.append(col(Group.delegation_id).in_(list(scope)))
    query = query.where(or_(*conditions)).order_by(col(Delegation.name), col(Group.name))
    return [(group, name) for group, name in (await session.execute(query)).all()]


async def all_groups(*, session: AsyncSession) -> list[Group]:
    return list(await session.scalars(select(Group).order_by(col(Group.id))))


async def led_group_ids(*, session: AsyncSession, person_id: int) -> set[int]:
    """Groups where the person holds an active mandate as group leader."""
    rows = await session.scalars(
        select(Mandate.group_id).where(
            col(Mandate.person_id) == person_id,
            col(Mandate.is_group_leader).is_(True),
            col(Mandate.active).is_(True),
            col(Mandate.group_id).is_not(None),
        )
    )
    return {group_id for group_id in rows if group_id is not None}


async def member_ids(*, session: AsyncSession, group_id: int) -> list[int]:
    """People holding an active mandate in the group, by id."""
    rows = await session.scalars(
        select(Mandate.person_id)
        .where(col(Mandate.group_id) == group_id, col(Mandate.active).is_(True))
        .distinct()
    )
    return sorted(rows)


async def leader_ids(*, session: AsyncSession, group_id: int) -> list[int]:
    rows = await session.scalars(
        select(Mandate.person_id)
        .where(
            col(Mandate.group_id) == group_id,
            col(Mandate.active).is_(True),
            col(Mandate.is_group_leader).is_(True),
        )
        .distinct()
    )
    return sorted(rows)


async def member_mandate(*, session: AsyncSession, group_id: int, person_id: int) -> Mandate | None:
    """The person's active mandate in the group, if they are a member."""
    return (
        await session.scalars(
            select(Mandate)
            .where(
                col(Mandate.group_id) == group_id,
                col(Mandate.person_id) == person_id,
                col(Mandate.active).is_(True),
            )
            .order_by(col(Mandate.id))
            .limit(1)
        )
    ).first()


async def person_names(*, session: AsyncSession, ids: Collection[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Person.id, Person.name).where(col(Person.id).in_(sorted(set(ids))))
    )
    return {pid: name for pid, name in rows.all() if pid is not None}


async def replies_of(*, session: AsyncSession, meeting_id: int) -> dict[int, MeetingReply]:
    rows = await session.scalars(
        select(MeetingReply).where(col(MeetingReply.meeting_id) == meeting_id)
    )
    return {row.person_id: row for row in rows}


async def reply_of(
    *, session: AsyncSession, meeting_id: int, person_id: int
) -> MeetingReply | None:
    return (
        await session.scalars(
            select(MeetingReply).where(
                col(MeetingReply.meeting_id) == meeting_id,
                col(MeetingReply.person_id) == person_id,
            )
        )
    ).first()


async def save_reply(*, session: AsyncSession, reply: MeetingReply) -> MeetingReply:
    session.add(reply)
    await session.flush()
    return reply


async def meetings_starting(
    *, session: AsyncSession, after: datetime, until: datetime
) -> list[Meeting]:
    """Scheduled meetings starting in (after, until]."""
    rows = await session.scalars(
        select(Meeting)
        .where(
            col(Meeting.state) == MeetingState.scheduled,
            col(Meeting.starts_at) > after,
            col(Meeting.starts_at) <= until,
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    )
    return list(rows)


async def meetings_ended(
    *, session: AsyncSession, since: datetime, until: datetime
) -> list[Meeting]:
    """Scheduled meetings that ended in [since, until]."""
    rows = await session.scalars(
        select(Meeting)
        .where(
            col(Meeting.state) == MeetingState.scheduled,
            col(Meeting.ends_at) >= since,
            col(Meeting.ends_at) <= until,
        )
        .order_by(col(Meeting.ends_at), col(Meeting.id))
    )
    return list(rows)


async def checked_in_ids(*, session: AsyncSession, meeting_id: int) -> list[int]:
    rows = await session.scalars(
        select(MeetingReply.person_id).where(
            col(MeetingReply.meeting_id) == meeting_id,
            col(MeetingReply.checked_in_at).is_not(None),
        )
    )
    return sorted(rows)


async def coming_meetings(
    *, session: AsyncSession, group_ids: Collection[int], since: datetime, limit: int = 20
) -> list[Meeting]:
    """Scheduled meetings of these groups that have not ended by `since`, soonest first."""
    if not group_ids:
        return []
    rows = await session.scalars(
        select(Meeting)
        .where(
            col(Meeting.group_id).in_(list(group_ids)),
            col(Meeting.state) == MeetingState.scheduled,
            col(Meeting.ends_at) >= since,
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
        .limit(limit)
    )
    return list(rows)


async def members_meetings_between(
    *, session: AsyncSession, person_ids: Collection[int], first: datetime, last: datetime
) -> dict[int, list[Meeting]]:
    """Person id → the scheduled meetings starting in [first, last) of the groups where the
    person holds an active mandate, soonest first."""
    if not person_ids:
        return {}
    rows = await session.execute(
        select(Mandate.person_id, Meeting)
        .join(Meeting, col(Meeting.group_id) == col(Mandate.group_id))
        .where(
            col(Mandate.person_id).in_(sorted(set(person_ids))),
            col(Mandate.active).is_(True),
            col(Meeting.state) == MeetingState.scheduled,
            col(Meeting.starts_at) >= first,
            col(Meeting.starts_at) < last,
        )
        .order_by(col(Mandate.person_id), col(Meeting.starts_at), col(Meeting.id))
    )
    found: dict[int, list[Meeting]] = {}
    for person_id, meeting in rows.all():
        listed = found.setdefault(person_id, [])
        if meeting not in listed:  # two mandates in one group: the meeting once
            listed.append(meeting)
    return found


async def groups_meeting_between(
    *, session: AsyncSession, first: datetime, last: datetime
) -> set[int]:
    """Groups with a scheduled meeting starting in [first, last)."""
    rows = await session.scalars(
        select(Meeting.group_id)
        .where(
            col(Meeting.state) == MeetingState.scheduled,
            col(Meeting.starts_at) >= first,
            col(Meeting.starts_at) < last,
        )
        .distinct()
    )
    return set(rows)


async def staff_person_ids(*, session: AsyncSession, delegation_id: int) -> list[int]:
    """People on the roster who are staff with this delegation in scope (admins and staff of
    every delegation included), known by their person or by their Telegram id."""
    staff = select(StaffMember).where(
        or_(
            col(StaffMember.role) == StaffRole.admin,
            col(StaffMember.all_delegations).is_(True),
            col(StaffMember.id).in_(
                select(StaffScope.staff_id).where(col(StaffScope.delegation_id) == delegation_id)
            ),
        )
    )
    members = list(await session.scalars(staff))
    person_ids = {m.person_id for m in members if m.person_id is not None}
    telegram_ids = [m.telegram_id for m in members if m.telegram_id is not None]
    if telegram_ids:
        rows = await session.scalars(
            select(Person.id).where(col(Person.telegram_id).in_(telegram_ids))
        )
        person_ids.update(pid for pid in rows if pid is not None)
    return sorted(person_ids)


async def existing_keys(*, session: AsyncSession, keys: Collection[str]) -> set[str]:
    """Which of these dedupe keys a delivery was queued under already."""
    if not keys:
        return set()
    rows = await session.scalars(
        select(Delivery.dedupe_key).where(col(Delivery.dedupe_key).in_(list(keys)))
    )
    return set(rows)


async def open_deliveries_like(*, session: AsyncSession, prefix: str, part: str) -> list[int]:
    """Ids of deliveries not yet finished whose dedupe key starts with `prefix` and holds
    `part` (the reminders of a meeting)."""
    rows = await session.scalars(
        select(Delivery.id).where(
            col(Delivery.dedupe_key).startswith(prefix, autoescape=True),
            col(Delivery.dedupe_key).contains(part, autoescape=True),
            col(Delivery.state).in_(
                [DeliveryState.scheduled, DeliveryState.sending, DeliveryState.paused]
            ),
        )
    )
    return sorted(i for i in rows if i is not None)


async def activity_type_by_code(*, session: AsyncSession, code: str) -> ActivityType | None:
    return (
        await session.scalars(select(ActivityType).where(col(ActivityType.code) == code))
    ).first()


async def open_deliveries_with_keys(*, session: AsyncSession, keys: Collection[str]) -> list[int]:
    """Ids of deliveries under these dedupe keys not yet finished."""
    if not keys:
        return []
    rows = await session.scalars(
        select(Delivery.id).where(
            col(Delivery.dedupe_key).in_(list(keys)),
            col(Delivery.state).in_(
                [DeliveryState.scheduled, DeliveryState.sending, DeliveryState.paused]
            ),
        )
    )
    return sorted(i for i in rows if i is not None)


async def live_meetings(
    *, session: AsyncSession, now: datetime, opens_before: timedelta
) -> list[Meeting]:
    """Scheduled meetings open for check-in at `now`: from `opens_before` the start to the end."""
    rows = await session.scalars(
        select(Meeting)
        .where(
            col(Meeting.state) == MeetingState.scheduled,
            col(Meeting.starts_at) <= now + opens_before,
            col(Meeting.ends_at) >= now,
        )
        .order_by(col(Meeting.starts_at), col(Meeting.id))
    )
    return list(rows)


async def any_meeting(*, session: AsyncSession) -> bool:
    """Whether any meeting was ever scheduled here (cancelled ones included)."""
    return (await session.scalar(select(Meeting.id).limit(1))) is not None
