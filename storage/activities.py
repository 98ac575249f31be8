"""Duty activities and their attachments: reading and writing them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, delete, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from storage.duty_models import Activity, ActivityAttachment, ActivityType
from storage.models import Person


async def create_activity(
    *, session: AsyncSession, activity: Activity, attachments: Sequence[ActivityAttachment]
) -> Activity:
    session.add(activity)
    await session.flush()
    await _add_attachments(session, activity, attachments)
    return activity


async def get_activity(*, session: AsyncSession, activity_id: int) -> Activity | None:
    return await session.get(Activity, activity_id)


async def list_attachments(*, session: AsyncSession, activity_id: int) -> list[ActivityAttachment]:
    query = (
        select(ActivityAttachment)
        .where(col(ActivityAttachment.activity_id) == activity_id)
        .order_by(col(ActivityAttachment.position), col(ActivityAttachment.id))
    )
    return list((await session.scalars(query)).all())


async def update_activity(
    *, session: AsyncSession, activity: Activity, attachments: Sequence[ActivityAttachment]
) -> Activity:
    """Writes the changed row; `attachments` replace the stored ones."""
    session.add(activity)
    await session.flush()
    await session.execute(
        delete(ActivityAttachment).where(col(ActivityAttachment.activity_id) == activity.id)
    )
    await _add_attachments(session, activity, attachments)
    return activity


async def _add_attachments(
    session: AsyncSession, activity: Activity, attachments: Sequence[ActivityAttachment]
) -> None:
    if activity.id is None:
        raise ValueError("the activity has not been stored")
    for position, attachment in enumerate(attachments):
        attachment.activity_id = activity.id
        attachment.position = position
        session.add(attachment)
    if attachments:
        await session.flush()


async def set_default_mandate(*, session: AsyncSession, person_id: int, mandate_id: int) -> None:
    person = await session.get(Person, person_id)
    if person is not None and person.default_mandate_id != mandate_id:
        person.default_mandate_id = mandate_id
        session.add(person)
        await session.flush()


async def rescore_year(*, session: AsyncSession, year: int) -> int:
    """Gives every activity of ``year`` (deleted ones too) its type's current points, in one
    UPDATE; returns how many changed. Activities already loaded in the session keep their values.
    """
    current = (
        select(ActivityType.points)
        .where(col(ActivityType.id) == col(Activity.type_id))
        .scalar_subquery()
    )
    statement = (
        update(Activity)
        .where(col(Activity.happened_on).between(date(year, 1, 1), date(year, 12, 31)))
        .where(col(Activity.points) != current)
        .values(points=current)
        # The new points come from a subquery the session cannot evaluate in Python.
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount
