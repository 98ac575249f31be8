"""The reports' hand-computed roster (tests.report_kit) with a year's meetings, suggestions and
reports to voters on top, so that every evaluation criterion has known figures.

Luoyang in 2024, on 10 April (report_kit.NOW):
- attendance: 一组 held 2 meetings (a third was cancelled), 二组 1, every member told by the
  notice; 王建国 checked in at 2, 李红梅 at 1 (and did not answer the other), 张伟 at 1, 赵敏 at
  none (excused) → 2/2, 1/2, 1/1, 0/1.
- the same meetings in the report (2024Q1): 一组 held 2, invitations 4: attending 3, no answer
  1, checked in 3; 二组 held 1, invitations 2: attending 1, excused 1, checked in 1.
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
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.deliveries.enqueue import enqueue
from services.deliveries.model import People, TemplateContent
from services.meetings import templates
from storage.meeting_models import Answer, Meeting, MeetingReply, MeetingState
from storage.models import Group, Person
from tests.factories import add_activity
from tests.report_kit import World, build_world


async def tell(session: AsyncSession, meeting: Meeting, group: Group, people: list[Person]) -> None:
    """The notice queued to ``people`` as publishing does: the invitations."""
    await enqueue(
        session=session,
        dedupe_key=f"meeting:{meeting.id}:notice",
        audience=People([person.id for person in people if person.id is not None]),
        content=TemplateContent(
            templates.NOTICE,
            templates.params(meeting, group_name=group.name, tz=ZoneInfo("Asia/Shanghai")),
        ),
        not_before=meeting.created_at,
    )


async def add_meeting(
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


async def add_reply(
    session: AsyncSession,
    meeting: Meeting,
    person: Person,
    *,
    checked_in: bool,
    answer: Answer | None = Answer.attending,
) -> None:
    assert meeting.id is not None
    assert person.id is not None
    session.add(
        MeetingReply(
            meeting_id=meeting.id,
            person_id=person.id,
            answer=answer,
            reason="出差" if answer == Answer.excused else None,
            checked_in_at=meeting.starts_at if checked_in else None,
        )
    )
    await session.flush()


async def build_evaluation_world(session: AsyncSession) -> World:
    world = await build_world(session)
    p = world.people
    scheduled, cancelled = MeetingState.scheduled, MeetingState.cancelled
    one_feb = await add_meeting(
        session, world.group_one, datetime(2024, 2, 6, 1, tzinfo=UTC), scheduled
    )
    one_mar = await add_meeting(
        session, world.group_one, datetime(2024, 3, 5, 1, tzinfo=UTC), scheduled
    )
    one_off = await add_meeting(
        session, world.group_one, datetime(2024, 3, 12, 1, tzinfo=UTC), cancelled
    )
    two_mar = await add_meeting(
        session, world.group_two, datetime(2024, 3, 6, 1, tzinfo=UTC), scheduled
    )
    # Held last year, and still to come this year: neither counts.
    old = await add_meeting(
        session, world.group_two, datetime(2023, 12, 6, 1, tzinfo=UTC), scheduled
    )
    june = await add_meeting(
        session, world.group_two, datetime(2024, 6, 6, 1, tzinfo=UTC), scheduled
    )
    for held, group in (
        (one_feb, world.group_one),
        (one_mar, world.group_one),
        (one_off, world.group_one),
        (two_mar, world.group_two),
        (old, world.group_two),
        (june, world.group_two),
    ):
        members = ("wang", "li") if group is world.group_one else ("zhang", "zhao")
        await tell(session, held, group, [p[key] for key in members])
    for held, key, came in (
        (one_feb, "wang", True),
        (one_mar, "wang", True),
        (one_off, "wang", True),
        (one_feb, "li", True),
        (two_mar, "zhang", True),
        (old, "zhao", True),
    ):
        await add_reply(session, held, p[key], checked_in=came)
    await add_reply(session, two_mar, p["zhao"], checked_in=False, answer=Answer.excused)
    for key, code, day in (
        ("zhang", "suggestion", date(2024, 3, 8)),
        ("zhang", "suggestion", date(2024, 3, 9)),
        ("li", "report_to_voters", date(2024, 2, 20)),
        ("sun", "suggestion", date(2024, 3, 8)),
    ):
        await add_activity(session, p[key], type_code=code, happened_on=day)
    await session.commit()
    return world
