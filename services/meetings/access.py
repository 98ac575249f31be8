"""Who may do what with a meeting: staff within their scope and the group's leader organise
and manage; members answer and check in. Anything else reads as not found."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.errors import NotFound
from storage.meeting_models import Meeting
from storage.meetings import (
    coming_meetings,
    get_group,
    get_meeting,
    groups_with_delegation,
    led_group_ids,
    member_ids,
    member_mandate,
)
from storage.models import Group


async def organisable_groups(*, session: AsyncSession, actor: Actor) -> list[tuple[Group, str]]:
    """The groups the actor may schedule a meeting for, each with its delegation's name."""
    led = await led_group_ids(session=session, person_id=actor.person_id or 0)
    if actor.is_staff:
        return await groups_with_delegation(session=session, scope=actor.scope, group_ids=led)
    if not led:
        return []
    return await groups_with_delegation(session=session, scope=frozenset(), group_ids=led)


async def may_organise(*, session: AsyncSession, actor: Actor, group: Group) -> bool:
    if actor.sees_delegation(group.delegation_id):
        return True
    if actor.person_id is None:
        return False
    return group.id in await led_group_ids(session=session, person_id=actor.person_id)


async def organisable_group(*, session: AsyncSession, actor: Actor, group_id: int) -> Group:
    group = await get_group(session=session, group_id=group_id)
    if group is None or not await may_organise(session=session, actor=actor, group=group):
        raise NotFound()
    return group


async def managed_meeting(*, session: AsyncSession, actor: Actor, meeting_id: int) -> Meeting:
    """A meeting the actor organised, or of a group they may organise for."""
    meeting = await get_meeting(session=session, meeting_id=meeting_id)
    if meeting is None:
        raise NotFound()
    if meeting.organiser_telegram_id == actor.telegram_id:
        return meeting
    await organisable_group(session=session, actor=actor, group_id=meeting.group_id)
    return meeting


async def members_meeting(
    *, session: AsyncSession, person_id: int | None, meeting_id: int
) -> Meeting:
    """A meeting of a group the person is a member of (an active mandate in it)."""
    meeting = await get_meeting(session=session, meeting_id=meeting_id)
    if meeting is None or person_id is None:
        raise NotFound()
    mandate = await member_mandate(session=session, group_id=meeting.group_id, person_id=person_id)
    if mandate is None:
        raise NotFound()
    return meeting


async def managed_coming(
    *, session: AsyncSession, actor: Actor, now: datetime, limit: int = 10
) -> list[Meeting]:
    """Meetings not yet over of the groups the actor may organise for, soonest first."""
    groups = [g.id for g, _name in await organisable_groups(session=session, actor=actor)]
    return await coming_meetings(
        session=session, group_ids=[g for g in groups if g is not None], since=now, limit=limit
    )


async def member_count(*, session: AsyncSession, group_id: int) -> int:
    return len(await member_ids(session=session, group_id=group_id))
