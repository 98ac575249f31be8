"""What the organiser's card shows: who attends, who is excused (and why), who has not
answered, who checked in; members as the roster has them now."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.meetings.access import managed_meeting
from services.meetings.publish import group_name
from storage.meeting_models import Answer, Meeting, MeetingState
from storage.meetings import get_group, member_ids, person_names, replies_of


@dataclass(frozen=True)
class Status:
    meeting: Meeting
    group: str
    attending: list[str]
    excused: list[tuple[str, str]]
    no_answer: list[str]
    checked_in: list[str]

    @property
    def cancelled(self) -> bool:
        return self.meeting.state == MeetingState.cancelled


async def meeting_status(*, session: AsyncSession, actor: Actor, meeting_id: int) -> Status:
    meeting = await managed_meeting(session=session, actor=actor, meeting_id=meeting_id)
    members = await member_ids(session=session, group_id=meeting.group_id)
    replies = await replies_of(session=session, meeting_id=meeting_id)
    names = await person_names(session=session, ids=set(members) | set(replies))
    group = group_name(await get_group(session=session, group_id=meeting.group_id))
    attending, excused, no_answer, checked = [], [], [], []
    for pid in members:
        reply = replies.get(pid)
        name = names.get(pid, "?")
        if reply is None or reply.answer is None:
            no_answer.append(name)
        elif reply.answer == Answer.attending:
            attending.append(name)
        else:
            excused.append((name, reply.reason or ""))
    for pid, reply in replies.items():
        if reply.checked_in_at is not None:
            checked.append(names.get(pid, "?"))
    return Status(meeting, group, attending, excused, no_answer, sorted(checked))
