"""Saving a draft as an activity, and opening a saved one as a draft to edit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.activities.choices import mandate_of, person_mandates, stored_id, type_of
from services.activities.drafts import Draft, DraftAttachment, Step
from services.activities.history import owned_activity
from services.dates import quarter_bounds, quarter_of
from services.errors import BadInput
from services.i18n_marks import N_
from storage.activities import (
    create_activity,
    list_attachments,
    set_default_mandate,
    update_activity,
)
from storage.activity_history import count_and_points
from storage.duty_models import Activity, ActivityAttachment

RECEPTION = "reception"


@dataclass(frozen=True)
class SavedActivity:
    activity_id: int
    points: int
    year: int
    quarter: int
    # The person's points in that quarter, this activity included.
    quarter_points: int
    is_reception: bool
    edited: bool


async def save_activity(
    *, session: AsyncSession, person_id: int, draft: Draft, now: datetime
) -> SavedActivity:
    """Stores the draft: a new activity, or the changes to the one it edits.

    A new activity takes its type's points as they are now and keeps them; an edited one keeps
    the points it was saved with unless its type changed.
    """
    if draft.mandate_id is None or draft.type_id is None or draft.day is None:
        raise BadInput(N_("Something is still missing. Please answer the open question."))
    if not draft.summary:
        raise BadInput(N_("The summary cannot be empty. Describe briefly what you did."))
    detail = await mandate_of(session=session, person_id=person_id, mandate_id=draft.mandate_id)
    activity_type = await type_of(
        session=session, type_id=draft.type_id, saved_type_id=draft.saved_type_id
    )
    activity = await _target(session, person_id, draft, now)
    activity.points = draft.points_with(activity_type.points)
    activity.mandate_id = draft.mandate_id
    activity.delegation_id = detail.mandate.delegation_id
    activity.type_id = draft.type_id
    activity.happened_on = draft.day
    activity.place = draft.place
    activity.latitude, activity.longitude = draft.latitude, draft.longitude
    activity.summary = draft.summary
    activity.for_bulletin = draft.for_bulletin
    activity.bulletin_note = draft.bulletin_note if draft.for_bulletin else None
    activity.updated_at = now
    attachments = [_attachment(item) for item in draft.attachments]
    if draft.activity_id is None:
        await create_activity(session=session, activity=activity, attachments=attachments)
    else:
        await update_activity(session=session, activity=activity, attachments=attachments)
    if draft.several_mandates:
        await set_default_mandate(session=session, person_id=person_id, mandate_id=draft.mandate_id)
    year, quarter = quarter_of(draft.day)
    start, end = quarter_bounds(year, quarter)
    # The count is of the same quarter, so the query reads no more rows than the sum needs.
    _, total = await count_and_points(
        session=session,
        person_id=person_id,
        first=start,
        last=end,
        points_from=start,
        points_to=end,
    )
    return SavedActivity(
        activity_id=stored_id(activity.id),
        points=activity.points,
        year=year,
        quarter=quarter,
        quarter_points=total,
        is_reception=activity_type.code == RECEPTION,
        edited=draft.activity_id is not None,
    )


async def _target(session: AsyncSession, person_id: int, draft: Draft, now: datetime) -> Activity:
    if draft.activity_id is None:
        # The columns are filled in by the caller; these satisfy the model until then.
        return Activity(
            person_id=person_id,
            mandate_id=0,
            delegation_id=0,
            type_id=0,
            points=0,
            happened_on=now.date(),
            summary="",
            created_at=now,
        )
    return await owned_activity(session=session, person_id=person_id, activity_id=draft.activity_id)


async def draft_of_activity(*, session: AsyncSession, person_id: int, activity_id: int) -> Draft:
    """A saved activity of the person's, as a draft whose card edits it."""
    activity = await owned_activity(session=session, person_id=person_id, activity_id=activity_id)
    attachments = await list_attachments(session=session, activity_id=activity_id)
    mandates = await person_mandates(session=session, person_id=person_id)
    return Draft(
        activity_id=activity.id,
        saved_type_id=activity.type_id,
        saved_points=activity.points,
        mandate_id=activity.mandate_id,
        type_id=activity.type_id,
        day=activity.happened_on,
        place=activity.place,
        latitude=activity.latitude,
        longitude=activity.longitude,
        summary=activity.summary,
        attachments=[
            DraftAttachment(
                kind=item.kind,
                file_id=item.file_id,
                file_unique_id=item.file_unique_id,
                file_name=item.file_name,
            )
            for item in attachments
        ],
        for_bulletin=activity.for_bulletin,
        bulletin_note=activity.bulletin_note,
        done=list(Step),
        several_mandates=len(mandates) > 1,
    )


def _attachment(item: DraftAttachment) -> ActivityAttachment:
    return ActivityAttachment(
        activity_id=0,
        kind=item.kind,
        file_id=item.file_id,
        file_unique_id=item.file_unique_id,
        file_name=item.file_name,
    )
