"""Moving a concern along its states: only its representative, only as the table allows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.concerns.inputs import clean_department, clean_note
from services.concerns.transitions import NEEDS_DEPARTMENT, NEEDS_NOTE, check_transition
from services.errors import BadInput, NotFound
from services.i18n_marks import N_
from storage.concerns import add_event, get_concern
from storage.duty_models import Concern, ConcernEvent, ConcernState


async def own_concern(*, session: AsyncSession, concern_id: int, person_id: int | None) -> Concern:
    """The concern if it is the person's; NotFound otherwise (never "it is someone else's")."""
    concern = await get_concern(session=session, concern_id=concern_id)
    if concern is None or person_id is None or concern.person_id != person_id:
        raise NotFound()
    return concern


async def begin_change(
    *, session: AsyncSession, concern_id: int, person_id: int | None, target: ConcernState
) -> Concern:
    """Checks a change before its department or note is asked for."""
    concern = await own_concern(session=session, concern_id=concern_id, person_id=person_id)
    check_transition(concern.state, target)
    return concern


async def change_state(
    *,
    session: AsyncSession,
    concern_id: int,
    person_id: int | None,
    target: ConcernState,
    note: str | None,
    department: str | None,
    actor_telegram_id: int,
    now: datetime,
) -> Concern:
    """Applies a change and dates it in the timeline; checked again, since the concern may have
    moved on while the note was being typed."""
    concern = await begin_change(
        session=session, concern_id=concern_id, person_id=person_id, target=target
    )
    department = clean_department(department or "") if target in NEEDS_DEPARTMENT else None
    note = clean_note(note) if note else None
    if target in NEEDS_NOTE and not note:
        raise BadInput(N_("Give the reason for closing the concern."))
    concern.state = target
    concern.touched_at = now
    if department is not None:
        concern.department = department
    event = ConcernEvent(
        concern_id=concern_id,
        state=target,
        note=note,
        department=department,
        at=now,
        actor_telegram_id=actor_telegram_id,
    )
    await add_event(session=session, concern=concern, event=event)
    return concern
