"""Staff's view of a person's duty activities: a year at a time, within their delegations.

Deleted entries are included (the list marks them); entries of mandates in delegations outside
the scope are left out, and a person outside it reads as no one at all (NotFound).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.activities.history import EntryView, HistoryPage, entry_view, history_page
from services.errors import NotFound
from services.invitations.errors import PersonNotInScope
from services.invitations.people import ensure_person_in_scope
from storage.activities import get_activity


async def staff_history(
    *, session: AsyncSession, person_id: int, scope: frozenset[int] | None, year: int, page: int
) -> tuple[str, HistoryPage]:
    """A person's name and their entries of ``year`` in the staff member's delegations."""
    try:
        person = await ensure_person_in_scope(session=session, person_id=person_id, scope=scope)
    except PersonNotInScope as exc:
        # Alike to no one at all: staff learn nothing of people outside their delegations.
        raise NotFound() from exc
    first, last = date(year, 1, 1), date(year, 12, 31)
    listing = await history_page(
        session=session,
        person_id=person_id,
        page=page,
        first=first,
        last=last,
        include_deleted=True,
        delegation_ids=scope,
        points_from=first,
        points_to=last,
    )
    return person.name, listing


async def staff_entry(
    *, session: AsyncSession, scope: frozenset[int] | None, activity_id: int
) -> EntryView:
    activity = await get_activity(session=session, activity_id=activity_id)
    if activity is None or (scope is not None and activity.delegation_id not in scope):
        raise NotFound()
    return await entry_view(session, activity)
