"""Recording a concern: the draft kept between steps, where it may start, and saving it."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import datetime

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from services.activities.save import RECEPTION
from services.errors import NotFound, StaleButton
from storage.activities import get_activity
from storage.activity_types import get_activity_type
from storage.concerns import add_concern, mandate_of
from storage.duty_models import Concern, ConcernEvent, ConcernState
from storage.people import get_person, mandate_details


class ConcernDraft(BaseModel):
    """What has been answered so far; kept in the dialog data, so it survives a restart."""

    mandate_id: int | None = None
    activity_id: int | None = None
    category: str | None = None
    summary: str | None = None
    place: str | None = None
    photo_file_id: str | None = None
    consent: bool | None = None
    constituent_name: str | None = None
    constituent_phone: str | None = None

    def started(self) -> bool:
        """Whether the person has given anything that would be lost by starting again: the
        category is the first answer (the mandate is often taken unasked)."""
        return self.category is not None


@dataclass(frozen=True)
class MandateChoice:
    mandate_id: int
    delegation: str
    term_number: int
    level: str
    is_default: bool


async def mandate_choices(*, session: AsyncSession, person_id: int) -> list[MandateChoice]:
    """The person's active mandates, their default (the one chosen last) first."""
    person = await get_person(session=session, person_id=person_id)
    default = person.default_mandate_id if person is not None else None
    details = await mandate_details(session=session, person_id=person_id)
    choices = [
        MandateChoice(
            mandate_id=detail.mandate.id or 0,
            delegation=detail.delegation,
            term_number=detail.mandate.term_number,
            level=detail.mandate.level,
            is_default=detail.mandate.id == default,
        )
        for detail in details
    ]
    return sorted(choices, key=lambda choice: not choice.is_default)


async def check_mandate(*, session: AsyncSession, person_id: int, mandate_id: int) -> int:
    """The delegation of one of the person's active mandates; NotFound for any other."""
    mandate = await mandate_of(session=session, mandate_id=mandate_id)
    if mandate is None or mandate.person_id != person_id or not mandate.active:
        raise NotFound()
    return mandate.delegation_id


async def draft_from_reception(
    *, session: AsyncSession, person_id: int, activity_id: int
) -> ConcernDraft:
    """A draft linked to one of the person's own logged activities, for its mandate."""
    activity = await get_activity(session=session, activity_id=activity_id)
    if activity is None or activity.person_id != person_id or activity.deleted_at is not None:
        raise NotFound()
    # Only a reception is offered as where a concern came from; any other id is a forged button.
    kind = await get_activity_type(session=session, type_id=activity.type_id)
    if kind is None or kind.code != RECEPTION:
        raise NotFound()
    # The mandate it counted for must still be held: the concern is filed under it.
    await check_mandate(session=session, person_id=person_id, mandate_id=activity.mandate_id)
    return ConcernDraft(mandate_id=activity.mandate_id, activity_id=activity_id)


def category_number(code: str) -> int:
    """A category's number on a button: the same for the same code however the list is ordered."""
    return zlib.crc32(code.encode()) & 0x7FFFFFFF


def check_category(categories: tuple[str, ...], number: int) -> str:
    """The category a button names; one no longer configured is a stale button."""
    for code in categories:
        if category_number(code) == number:
            return code
    raise StaleButton()


async def save_concern(
    *,
    session: AsyncSession,
    person_id: int,
    draft: ConcernDraft,
    actor_telegram_id: int,
    now: datetime,
) -> Concern:
    """Saves a completed draft with its first timeline step. Ownership is checked again: the
    mandate or the reception may have changed since the dialog began."""
    if draft.mandate_id is None or draft.category is None or draft.summary is None:
        raise StaleButton()
    delegation_id = await check_mandate(
        session=session, person_id=person_id, mandate_id=draft.mandate_id
    )
    if draft.activity_id is not None:
        await draft_from_reception(
            session=session, person_id=person_id, activity_id=draft.activity_id
        )
    consent = draft.consent is True
    concern = Concern(
        person_id=person_id,
        mandate_id=draft.mandate_id,
        delegation_id=delegation_id,
        activity_id=draft.activity_id,
        category=draft.category,
        summary=draft.summary,
        place=draft.place,
        photo_file_id=draft.photo_file_id,
        consent=consent,
        consent_at=now if consent else None,
        # Without consent nothing of the constituent is kept, whatever the draft holds.
        constituent_name=draft.constituent_name if consent else None,
        constituent_phone=draft.constituent_phone if consent else None,
        state=ConcernState.received,
        created_at=now,
        touched_at=now,
    )
    event = ConcernEvent(
        concern_id=0, state=ConcernState.received, at=now, actor_telegram_id=actor_telegram_id
    )
    return await add_concern(session=session, concern=concern, event=event)
