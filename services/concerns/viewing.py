"""Who may open a concern: its representative, and staff whose scope holds its delegation."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.errors import NotFound
from storage.concerns import ConcernRow, get_concern_row, list_events
from storage.duty_models import ConcernEvent


@dataclass(frozen=True)
class ConcernView:
    row: ConcernRow
    events: list[ConcernEvent]
    # The representative moves it along; staff in scope may erase the constituent's contact.
    is_owner: bool
    in_scope: bool


async def view_concern(*, session: AsyncSession, concern_id: int, actor: Actor) -> ConcernView:
    row = await get_concern_row(session=session, concern_id=concern_id)
    if row is None:
        raise NotFound()
    concern = row.concern
    is_owner = actor.person_id is not None and concern.person_id == actor.person_id
    in_scope = actor.sees_delegation(concern.delegation_id)
    if not (is_owner or in_scope):
        # The same answer as for a concern that does not exist.
        raise NotFound()
    events = await list_events(session=session, concern_id=concern_id)
    return ConcernView(row=row, events=events, is_owner=is_owner, in_scope=in_scope)
