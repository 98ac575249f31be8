"""What a representative chooses from when logging: activity types and their own mandates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.activities.drafts import Draft, Step
from services.dates import check_activity_date
from services.errors import NotFound
from services.i18n_marks import N_
from services.labels import type_name
from storage.activity_types import get_activity_type, list_activity_types
from storage.duty_models import ActivityType
from storage.people import MandateDetail, get_person, mandate_details

__all__ = [
    "ActivityType",
    "MandateDetail",
    "active_types",
    "card_facts",
    "check_day",
    "chosen_type",
    "mandate_of",
    "new_draft",
    "person_mandates",
    "stored_id",
    "type_name",
    "type_of",
]

active_types = list_activity_types
person_mandates = mandate_details


def stored_id(row_id: int | None) -> int:
    """The id of a row read from the database, which always has one."""
    if row_id is None:
        raise ValueError("the row has not been stored")
    return row_id


async def type_of(
    *, session: AsyncSession, type_id: int, saved_type_id: int | None = None
) -> ActivityType:
    """A type that may be chosen now: an active one, or the type an edited activity was saved
    with (retiring a type does not make its past activities unsavable)."""
    found = await get_activity_type(session=session, type_id=type_id)
    if found is None or not (found.active or type_id == saved_type_id):
        raise NotFound(N_("That activity type no longer exists. Please choose another."))
    return found


async def chosen_type(*, session: AsyncSession, draft: Draft) -> ActivityType | None:
    """The draft's type as it is now, retired or not, to name it."""
    if draft.type_id is None:
        return None
    return await get_activity_type(session=session, type_id=draft.type_id)


async def mandate_of(*, session: AsyncSession, person_id: int, mandate_id: int) -> MandateDetail:
    """One of the person's active mandates; NotFound for anyone else's, or an ended one."""
    for detail in await mandate_details(session=session, person_id=person_id):
        if detail.mandate.id == mandate_id:
            return detail
    raise NotFound()


async def check_day(
    *, session: AsyncSession, person_id: int, mandate_id: int | None, day: date, today: date
) -> None:
    """Raises DateError for a day in the future or outside the mandate's term."""
    term_start = term_end = None
    if mandate_id is not None:
        mandate = (
            await mandate_of(session=session, person_id=person_id, mandate_id=mandate_id)
        ).mandate
        term_start, term_end = mandate.term_start, mandate.term_end
    check_activity_date(day, today=today, term_start=term_start, term_end=term_end)


@dataclass(frozen=True)
class Start:
    draft: Draft
    mandates: list[MandateDetail]


async def new_draft(*, session: AsyncSession, person_id: int) -> Start:
    """A fresh draft. One mandate is taken as it is; with several, the one chosen last time is
    preselected (the card lets the person change it), otherwise the flow asks first."""
    mandates = await mandate_details(session=session, person_id=person_id)
    draft = Draft(several_mandates=len(mandates) > 1)
    ids = [detail.mandate.id for detail in mandates]
    person = await get_person(session=session, person_id=person_id)
    preferred = person.default_mandate_id if person is not None else None
    if len(ids) == 1:
        draft.mandate_id = ids[0]
    elif preferred in ids:
        draft.mandate_id = preferred
    if draft.mandate_id is not None:
        draft.mark(Step.mandate)
    return Start(draft, mandates)


@dataclass(frozen=True)
class CardFacts:
    """What the confirm card shows besides the draft itself."""

    type: ActivityType | None
    mandate: MandateDetail | None


async def card_facts(*, session: AsyncSession, person_id: int, draft: Draft) -> CardFacts:
    activity_type = await chosen_type(session=session, draft=draft)
    mandate = None
    if draft.mandate_id is not None:
        mandate = await mandate_of(
            session=session, person_id=person_id, mandate_id=draft.mandate_id
        )
    return CardFacts(activity_type, mandate)
