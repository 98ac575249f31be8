"""services.activities.history: pages, totals, filters, owner and scope checks, the indexes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from services.activities.history import (
    HistoryFilter,
    delete_own_activity,
    own_entry,
    own_history,
    quarters_to_offer,
)
from services.activities.history_staff import staff_entry, staff_history
from services.errors import NotFound
from services.invitations import PersonNotInScope, ensure_person_in_scope
from storage.activity_history import (
    count_and_points,
    months_with_activities,
    page_of_activities,
)
from storage.models import Level, Mandate, Person
from tests.factories import add_activity, add_activity_types, add_delegation, add_representative

TODAY = date(2024, 5, 20)
NOW = datetime(2024, 5, 20, 4, tzinfo=UTC)


async def _person(session: AsyncSession) -> Person:
    delegation = await add_delegation(session)
    await add_activity_types(session)
    return await add_representative(session, telegram_id=1, delegation=delegation)


def _pid(person: Person) -> int:
    assert person.id is not None
    return person.id


@pytest.mark.parametrize(
    ("count", "page", "shown_page", "pages", "on_page"),
    [(0, 0, 0, 1, 0), (10, 0, 0, 1, 10), (10, 1, 0, 1, 10), (11, 1, 1, 2, 1), (11, 99, 1, 2, 1)],
)
async def test_pages_are_clamped_to_what_there_is(
    session: AsyncSession, count: int, page: int, shown_page: int, pages: int, on_page: int
) -> None:
    person = await _person(session)
    for day in range(count):
        await add_activity(session, person, happened_on=date(2024, 4, day + 1))
    listing = await own_history(
        session=session, person_id=_pid(person), filters=HistoryFilter(), page=page, today=TODAY
    )
    assert (listing.page, listing.pages, listing.total) == (shown_page, pages, count)
    assert len(listing.entries) == on_page


async def test_points_of_the_current_or_the_filtered_quarter(session: AsyncSession) -> None:
    person = await _person(session)
    await add_activity(session, person, happened_on=date(2024, 3, 31), points=7)
    await add_activity(session, person, happened_on=date(2024, 4, 1), points=2)
    await add_activity(session, person, happened_on=date(2024, 6, 30), points=4)
    await add_activity(session, person, happened_on=date(2024, 5, 1), points=9, deleted_at=NOW)
    pid = _pid(person)
    current = await own_history(
        session=session, person_id=pid, filters=HistoryFilter(), page=0, today=TODAY
    )
    assert (current.points, current.total) == (6, 3)
    first = HistoryFilter(year=2024, quarter=1)
    earlier = await own_history(session=session, person_id=pid, filters=first, page=0, today=TODAY)
    assert (earlier.points, earlier.total) == (7, 1)


async def test_quarters_offered_current_first_then_those_with_entries(
    session: AsyncSession,
) -> None:
    person = await _person(session)
    for day in (date(2023, 1, 5), date(2023, 2, 5), date(2022, 12, 1), date(2024, 5, 1)):
        await add_activity(session, person, happened_on=day)
    await add_activity(session, person, happened_on=date(2023, 8, 1), deleted_at=NOW)
    quarters = await quarters_to_offer(session=session, person_id=_pid(person), today=TODAY)
    assert quarters == [(2024, 2), (2023, 1), (2022, 4)]


async def test_owner_checks_and_soft_delete(session: AsyncSession) -> None:
    person = await _person(session)
    activity = await add_activity(session, person)
    assert activity.id is not None
    with pytest.raises(NotFound):
        await own_entry(session=session, person_id=_pid(person) + 1, activity_id=activity.id)
    with pytest.raises(NotFound):
        await delete_own_activity(
            session=session,
            person_id=_pid(person) + 1,
            activity_id=activity.id,
            actor_telegram_id=1,
            now=NOW,
        )
    deleted = await delete_own_activity(
        session=session,
        person_id=_pid(person),
        activity_id=activity.id,
        actor_telegram_id=1,
        now=NOW,
    )
    assert deleted.deleted_at == NOW
    with pytest.raises(NotFound):
        await own_entry(session=session, person_id=_pid(person), activity_id=activity.id)
    # Staff still open it.
    view = await staff_entry(session=session, scope=None, activity_id=activity.id)
    assert view.activity.deleted_at == NOW


async def test_staff_see_only_entries_of_delegations_in_scope(session: AsyncSession) -> None:
    """A representative of two levels: a county clerk sees the county mandate's entries only."""
    person = await _person(session)
    county = await add_delegation(session, "洛龙区人大代表")
    assert county.id is not None
    mandate = Mandate(
        person_id=_pid(person), level=Level.county, term_number=9, delegation_id=county.id
    )
    session.add(mandate)
    await session.flush()
    await add_activity(session, person, happened_on=date(2024, 2, 1), summary="省级")
    county_entry = await add_activity(
        session,
        person,
        happened_on=date(2024, 3, 1),
        summary="区级",
        delegation_id=county.id,
        mandate_id=mandate.id,
    )
    assert county_entry.id is not None
    name, listing = await staff_history(
        session=session, person_id=_pid(person), scope=frozenset({county.id}), year=2024, page=0
    )
    assert name == "王建国"
    assert [a.summary for a in listing.entries] == ["区级"]
    everyone = await staff_history(
        session=session, person_id=_pid(person), scope=None, year=2024, page=0
    )
    assert everyone[1].total == 2
    with pytest.raises(NotFound):
        await staff_history(
            session=session, person_id=_pid(person), scope=frozenset({999}), year=2024, page=0
        )
    with pytest.raises(NotFound):
        await staff_entry(session=session, scope=frozenset({999}), activity_id=county_entry.id)


async def test_staff_cannot_tell_someone_outside_their_scope_from_no_one(
    session: AsyncSession,
) -> None:
    """The scope check is the invitations' one; only its answer differs for the history."""
    person_id = _pid(await _person(session))
    outside = frozenset({999})
    with pytest.raises(NotFound) as outside_error:
        await staff_history(session=session, person_id=person_id, scope=outside, year=2024, page=0)
    with pytest.raises(NotFound) as no_one_error:
        await staff_history(session=session, person_id=404, scope=outside, year=2024, page=0)
    assert type(outside_error.value) is type(no_one_error.value) is NotFound
    assert outside_error.value.message == no_one_error.value.message
    # Staff inviting someone are told why instead.
    with pytest.raises(PersonNotInScope):
        await ensure_person_in_scope(session=session, person_id=person_id, scope=outside)


LIVE = "ix_activity_person_live"
_QUARTER = {"person_id": 1, "points_from": date(2024, 1, 1), "points_to": date(2024, 3, 31)}
_PAGE = {"person_id": 1, "limit": 10, "offset": 490}


@pytest.mark.parametrize(
    ("query", "arguments", "plans"),
    [
        (count_and_points, _QUARTER, {f"COVERING INDEX {LIVE}"}),
        (months_with_activities, {"person_id": 1, "up_to": TODAY}, {f"COVERING INDEX {LIVE}"}),
        # Without statistics SQLite weighs these two alike, and create_all makes the indexes in
        # no fixed order: either walks the person's entries in order.
        (page_of_activities, _PAGE, {f"INDEX {LIVE}", "INDEX ix_activity_person_day"}),
        (page_of_activities, {**_PAGE, "type_id": 3}, {"INDEX ix_activity_person_type_day"}),
        (
            page_of_activities,
            {**_PAGE, "include_deleted": True, "first": date(2024, 1, 1)},
            {"INDEX ix_activity_person_day"},
        ),
    ],
)
async def test_the_queries_walk_the_person_indexes(
    session: AsyncSession,
    query: Callable[..., Awaitable[object]],
    arguments: Any,
    plans: set[str],
) -> None:
    """Each query as sent, explained: pages walk an index in order (no sorting of the person's
    rows); counts, totals and months read the index alone."""
    connection = await session.connection()
    if connection.dialect.name != "sqlite":
        pytest.skip("the plan is read with SQLite's EXPLAIN QUERY PLAN")
    sent: list[tuple[str, Any]] = []

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        sent.append((statement, parameters))

    listened = connection.sync_connection
    assert listened is not None
    event.listen(listened, "before_cursor_execute", capture)
    try:
        await query(session=session, **arguments)
    finally:
        event.remove(listened, "before_cursor_execute", capture)
    statement, parameters = sent[-1]
    raw = await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    details = " ".join(str(row[-1]) for row in raw.all())
    assert any(f"USING {plan} " in details for plan in plans), details
    if query is page_of_activities:
        assert "TEMP B-TREE" not in details
