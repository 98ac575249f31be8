"""Who was invited to which group meeting, in SQL: the members the notice was queued to when
the meeting was published (services.meetings.publish), and anyone who answered or checked in
(a member who joined the group later). Kept by meeting, not by today's roster, so a
representative who changed groups keeps the meetings they were asked to and gets none of the
new group's past ones.

Members without a Telegram account are told by other means and get no notice row: they count
from their reply, if they have one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, literal, select, union
from sqlmodel import col

from storage.delivery_models import Delivery, DeliveryRecipient
from storage.meeting_models import Meeting, MeetingReply, MeetingState

# The notice's dedupe key is meeting:<id>:notice (services.meetings.publish.publish_meeting).
NOTICE_PREFIX, NOTICE_SUFFIX = "meeting:", ":notice"


def notice_key() -> ColumnElement[str]:
    """Each meeting's notice key, as an SQL expression on Meeting.id."""
    meeting_id = cast(col(Meeting.id), String)
    return literal(NOTICE_PREFIX, String) + meeting_id + literal(NOTICE_SUFFIX, String)


def held(start: datetime, end: datetime) -> list[ColumnElement[bool]]:
    """Meetings not cancelled that began in [start, end)."""
    return [
        col(Meeting.state) == MeetingState.scheduled,
        col(Meeting.starts_at) >= start,
        col(Meeting.starts_at) < end,
    ]


def invitees(meetings: list[ColumnElement[bool]]) -> Any:
    """A subquery of (meeting_id, person_id), once each, for the meetings matching ``meetings``
    (conditions on Meeting)."""
    told: Any = (
        select(col(Meeting.id).label("meeting_id"), col(DeliveryRecipient.person_id))
        .select_from(Meeting)
        .join(Delivery, col(Delivery.dedupe_key) == notice_key())
        .join(DeliveryRecipient, col(DeliveryRecipient.delivery_id) == col(Delivery.id))
        .where(*meetings)
    )
    answered = (
        select(col(MeetingReply.meeting_id), col(MeetingReply.person_id))
        .join(Meeting, col(Meeting.id) == col(MeetingReply.meeting_id))
        .where(*meetings)
    )
    # UNION, not UNION ALL: told and answered is one invitation.
    return union(told, answered).subquery("invitee")


def reply_of(invited: Any) -> ColumnElement[bool]:
    """The join condition of an invitee's reply (outer: most invitations without one are
    unanswered)."""
    return and_(
        col(MeetingReply.meeting_id) == invited.c.meeting_id,
        col(MeetingReply.person_id) == invited.c.person_id,
    )
