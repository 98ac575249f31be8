"""save_activity: the points it keeps, the quarter's total, the mandate it counts for."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.activities.drafts import AttachmentKind, Draft, DraftAttachment, Step
from services.activities.save import draft_of_activity, save_activity
from services.errors import NotFound
from storage.activities import get_activity, list_attachments
from storage.duty_models import ActivityType
from storage.models import Mandate, Person
from tests.factories import add_activity_types, add_delegation, add_mandate, add_representative

NOW = datetime(2024, 5, 20, 8, tzinfo=UTC)


async def _seed(session: AsyncSession) -> tuple[Person, Mandate, dict[str, ActivityType]]:
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=1, delegation=delegation)
    types = await add_activity_types(session)
    mandate = await session.get(Mandate, 1)
    assert mandate is not None
    return person, mandate, types


def _draft(mandate: Mandate, kind: ActivityType, day: date, **changes: object) -> Draft:
    values: dict[str, object] = {
        "mandate_id": mandate.id,
        "type_id": kind.id,
        "day": day,
        "summary": "Visit",
        "done": list(Step),
        **changes,
    }
    return Draft.model_validate(values)


async def test_points_are_copied_and_later_type_changes_do_not_rescore(
    session: AsyncSession,
) -> None:
    person, mandate, types = await _seed(session)
    assert person.id is not None
    draft = _draft(mandate, types["inspection"], date(2024, 4, 2))
    saved = await save_activity(session=session, person_id=person.id, draft=draft, now=NOW)
    assert (saved.points, saved.year, saved.quarter, saved.quarter_points) == (3, 2024, 2, 3)
    types["inspection"].points = 10
    session.add(types["inspection"])
    again = await save_activity(session=session, person_id=person.id, draft=draft, now=NOW)
    assert (again.points, again.quarter_points) == (10, 13)
    first = await get_activity(session=session, activity_id=saved.activity_id)
    assert first is not None
    assert first.points == 3


async def test_the_quarter_total_leaves_out_other_quarters_and_deleted_entries(
    session: AsyncSession,
) -> None:
    person, mandate, types = await _seed(session)
    assert person.id is not None
    kind = types["reception"]
    for day in (date(2024, 3, 31), date(2024, 4, 1), date(2024, 6, 30), date(2024, 7, 1)):
        await save_activity(
            session=session, person_id=person.id, draft=_draft(mandate, kind, day), now=NOW
        )
    deleted = await save_activity(
        session=session,
        person_id=person.id,
        draft=_draft(mandate, kind, date(2024, 5, 1)),
        now=NOW,
    )
    row = await get_activity(session=session, activity_id=deleted.activity_id)
    assert row is not None
    row.deleted_at = NOW
    last = await save_activity(
        session=session, person_id=person.id, draft=_draft(mandate, kind, date(2024, 5, 2)), now=NOW
    )
    assert (last.quarter, last.quarter_points) == (2, 6)


async def test_another_persons_mandate_is_not_found(session: AsyncSession) -> None:
    _person, mandate, types = await _seed(session)
    other = await add_representative(
        session, telegram_id=2, delegation=await add_delegation(session, "B")
    )
    assert other.id is not None
    with pytest.raises(NotFound):
        await save_activity(
            session=session,
            person_id=other.id,
            draft=_draft(mandate, types["inspection"], date(2024, 4, 2)),
            now=NOW,
        )


async def test_only_ones_own_live_activity_opens_or_saves_as_an_edit(
    session: AsyncSession,
) -> None:
    person, mandate, types = await _seed(session)
    other = await add_representative(
        session, telegram_id=2, delegation=await add_delegation(session, "B")
    )
    assert person.id is not None
    assert other.id is not None
    day = date(2024, 4, 2)
    first = _draft(mandate, types["inspection"], day)
    saved = await save_activity(session=session, person_id=person.id, draft=first, now=NOW)
    opened = await draft_of_activity(
        session=session, person_id=person.id, activity_id=saved.activity_id
    )
    assert opened.activity_id == saved.activity_id
    with pytest.raises(NotFound):
        await draft_of_activity(session=session, person_id=other.id, activity_id=saved.activity_id)
    row = await get_activity(session=session, activity_id=saved.activity_id)
    assert row is not None
    row.deleted_at = NOW
    with pytest.raises(NotFound):
        await draft_of_activity(session=session, person_id=person.id, activity_id=saved.activity_id)
    edit = _draft(mandate, types["inspection"], day, activity_id=saved.activity_id)
    with pytest.raises(NotFound):
        await save_activity(session=session, person_id=person.id, draft=edit, now=NOW)


async def test_attachments_and_the_chosen_of_two_mandates_are_kept(session: AsyncSession) -> None:
    person, _first, types = await _seed(session)
    assert person.id is not None
    second = await add_mandate(session, person, await add_delegation(session, "市"))
    photo = DraftAttachment(kind=AttachmentKind.photo, file_id="p", file_unique_id="up")
    doc = DraftAttachment(kind=AttachmentKind.document, file_id="d", file_name="a.pdf")
    draft = _draft(
        second,
        types["inspection"],
        date(2024, 4, 2),
        several_mandates=True,
        attachments=[photo, doc],
    )
    saved = await save_activity(session=session, person_id=person.id, draft=draft, now=NOW)
    stored = await list_attachments(session=session, activity_id=saved.activity_id)
    assert [(a.kind, a.file_id, a.position) for a in stored] == [
        (AttachmentKind.photo, "p", 0),
        (AttachmentKind.document, "d", 1),
    ]
    await session.refresh(person)
    assert person.default_mandate_id == second.id
    reopened = await draft_of_activity(
        session=session, person_id=person.id, activity_id=saved.activity_id
    )
    assert reopened.attachments == [photo, doc]
    assert (reopened.mandate_id, reopened.saved_points, reopened.next_step()) == (
        second.id,
        3,
        None,
    )
    assert Draft.from_data(reopened.to_data()) == reopened
