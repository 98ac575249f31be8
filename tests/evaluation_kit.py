"""The reports' hand-computed roster (tests.report_kit) with a year's meetings, suggestions and
reports to voters on top, so that every evaluation criterion has known figures.

Luoyang in 2024, on 10 April (report_kit.NOW):
- attendance: 一组 held 2 meetings (a third was cancelled), 二组 1; 王建国 checked in at 2,
  李红梅 at 1 (and answered the other without coming), 张伟 at 1, 赵敏 at none → 2/2, 1/2, 1/1, 0/1.
- inspections and research: 王建国 3 (two inspections, a research visit), 李红梅 1 (her second
  was deleted) → 3, 1, 0, 0.
- receptions and concerns resolved: 王建国 1 reception + 1 concern resolved, 李红梅 1 resolved
  → 2, 1, 0, 0.
- suggestions: 张伟 2 → 0, 0, 2, 0.  reports to voters: 李红梅 1 → 0, 1, 0, 0.
- duty before today: 王建国 served 1 of 1, 李红梅 0 of 2 → 1/1, 0/2, 0/0, 0/0.
With the default weights (20, 20, 20, 15, 10, 15) the scores are 75, 36.7 (10 + 6.67 + 10 +
10), 35 and 0: 王建国, 李红梅, 张伟, 赵敏; 5% of four shortlists one, 王建国. 孙华 of Nanyang
logs a suggestion that Luoyang must never count.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.meeting_models import Answer, Meeting, MeetingReply, MeetingState
from storage.models import Group, Person
from tests.factories import add_activity
from tests.report_kit import World, build_world


async def _meeting(
    session: AsyncSession, group: Group, starts: datetime, state: MeetingState
) -> Meeting:
    assert group.id is not None
    meeting = Meeting(
        group_id=group.id,
        delegation_id=group.delegation_id,
        title="代表小组活动",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        place="洛阳市人大常委会",
        organiser_telegram_id=1,
        state=state,
        checkin_code="1234",
    )
    session.add(meeting)
    await session.flush()
    return meeting


async def _reply(
    session: AsyncSession, meeting: Meeting, person: Person, *, checked_in: bool
) -> None:
    assert meeting.id is not None
    assert person.id is not None
    session.add(
        MeetingReply(
            meeting_id=meeting.id,
            person_id=person.id,
            answer=Answer.attending,
            checked_in_at=meeting.starts_at if checked_in else None,
        )
    )
    await session.flush()


async def build_evaluation_world(session: AsyncSession) -> World:
    world = await build_world(session)
    p = world.people
    scheduled, cancelled = MeetingState.scheduled, MeetingState.cancelled
    one_feb = await _meeting(
        session, world.group_one, datetime(2024, 2, 6, 1, tzinfo=UTC), scheduled
    )
    one_mar = await _meeting(
        session, world.group_one, datetime(2024, 3, 5, 1, tzinfo=UTC), scheduled
    )
    one_off = await _meeting(
        session, world.group_one, datetime(2024, 3, 12, 1, tzinfo=UTC), cancelled
    )
    two_mar = await _meeting(
        session, world.group_two, datetime(2024, 3, 6, 1, tzinfo=UTC), scheduled
    )
    # Held last year, and still to come this year: neither counts.
    old = await _meeting(session, world.group_two, datetime(2023, 12, 6, 1, tzinfo=UTC), scheduled)
    await _meeting(session, world.group_two, datetime(2024, 6, 6, 1, tzinfo=UTC), scheduled)
    for meeting, key, came in (
        (one_feb, "wang", True),
        (one_mar, "wang", True),
        (one_off, "wang", True),
        (one_feb, "li", True),
        (one_mar, "li", False),
        (two_mar, "zhang", True),
        (two_mar, "zhao", False),
        (old, "zhao", True),
    ):
        await _reply(session, meeting, p[key], checked_in=came)
    for key, code, day in (
        ("zhang", "suggestion", date(2024, 3, 8)),
        ("zhang", "suggestion", date(2024, 3, 9)),
        ("li", "report_to_voters", date(2024, 2, 20)),
        ("sun", "suggestion", date(2024, 3, 8)),
    ):
        await add_activity(session, p[key], type_code=code, happened_on=day)
    await session.commit()
    return world
