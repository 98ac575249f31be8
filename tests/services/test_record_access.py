"""Whose record /record gives: what the arguments say, and the scope check of staff."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.errors import BadInput, NotFound, PermissionDenied
from services.permissions import Role
from services.record import RecordRequest, RecordYearInvalid, own_record, parse_request
from services.record.access import staff_target
from tests.factories import add_delegation, add_representative

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (None, RecordRequest("", 2026)),
        ("", RecordRequest("", 2026)),
        ("2024", RecordRequest("", 2024)),
        ("2024年", RecordRequest("", 2024)),
        ("２０２４", RecordRequest("", 2024)),
        ("王建国 2024", RecordRequest("王建国", 2024)),
        ("2024 王建国", RecordRequest("王建国", 2024)),
        ("王　伟", RecordRequest("王伟", 2026)),
        ("2000", RecordRequest("", 2000)),
        ("2027", RecordRequest("", 2027)),
    ],
)
def test_arguments_are_read(args: str | None, expected: RecordRequest) -> None:
    assert parse_request(args, today=TODAY) == expected


@pytest.mark.parametrize("args", ["1999", "2028", "24", "02024", "2023 2024", "王建国 9999"])
def test_years_out_of_range_are_refused_with_an_example(args: str) -> None:
    with pytest.raises(RecordYearInvalid) as caught:
        parse_request(args, today=TODAY)
    assert caught.value.params == {"first": 2000, "last": 2027, "example": 2026}


REP = Actor(7, frozenset({Role.representative}), "zh", person_id=3, name="王建国")
CLERK = Actor(8, frozenset({Role.staff}), "zh", scope=frozenset({1}))


def test_a_representative_gets_their_own_and_nobody_elses() -> None:
    own = own_record(REP, RecordRequest("", 2024))
    assert own is not None
    assert (own.person_id, own.year, own.delegation_ids) == (3, 2024, None)
    assert own_record(REP, RecordRequest("王建国", 2024)) == own
    with pytest.raises(PermissionDenied):
        own_record(REP, RecordRequest("李红梅", 2024))


def test_staff_name_someone_or_are_told_how() -> None:
    assert own_record(CLERK, RecordRequest("李红梅", 2024)) is None
    with pytest.raises(BadInput):
        own_record(CLERK, RecordRequest("", 2024))
    # Staff who are representatives too: no name is their own, their name is a search.
    both = Actor(9, frozenset({Role.representative, Role.staff}), "zh", person_id=4, name="王建国")
    own = own_record(both, RecordRequest("", 2024))
    assert own is not None
    assert own.person_id == 4
    assert own_record(both, RecordRequest("王建国", 2024)) is None


async def test_staff_reach_only_people_in_scope(session: AsyncSession) -> None:
    inside = await add_delegation(session, "驻洛阳代表")
    outside = await add_delegation(session, "驻南阳代表")
    wang = await add_representative(session, telegram_id=None, delegation=inside)
    li = await add_representative(session, telegram_id=None, delegation=outside, name="李红梅")
    assert inside.id is not None
    assert wang.id is not None
    assert li.id is not None
    clerk = Actor(8, frozenset({Role.staff}), "zh", scope=frozenset({inside.id}))

    target = await staff_target(session=session, actor=clerk, person_id=wang.id, year=2024)

    assert target.delegation_ids == frozenset({inside.id})
    for person_id in (li.id, 999_999):
        with pytest.raises(NotFound):
            await staff_target(session=session, actor=clerk, person_id=person_id, year=2024)
    with pytest.raises(NotFound):
        await staff_target(session=session, actor=REP, person_id=wang.id, year=2024)
