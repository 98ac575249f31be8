"""services.reports: figures of the hand-computed roster (tests/report_kit.py), access, periods."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.errors import PermissionDenied
from services.permissions import Role
from services.reports import (
    BadPeriod,
    FuturePeriod,
    UnitKind,
    UnitNotFound,
    build_report,
    parse_period,
    reachable_units,
)
from services.reports.model import (
    ConcernFigures,
    DutyRow,
    GroupMonthRow,
    MissedDuty,
    PersonRow,
    Report,
    TypeRow,
)
from tests.report_kit import CLERK, LEADER, NOW, build_world

TZ = ZoneInfo("Asia/Shanghai")


def _staff(scope: frozenset[int] | None) -> Actor:
    return Actor(telegram_id=CLERK, roles=frozenset({Role.staff}), locale="zh", scope=scope)


async def _report(
    session: AsyncSession, actor: Actor | None, kind: UnitKind, unit_id: int | None, code: str
) -> Report:
    assert unit_id is not None
    return await build_report(
        session=session,
        actor=actor,
        kind=kind,
        unit_id=unit_id,
        period_code=code,
        now=NOW,
        tz=TZ,
    )


async def test_a_delegation_quarter_every_table(session: AsyncSession) -> None:
    world = await build_world(session)
    report = await _report(
        session, _staff(frozenset({world.luoyang.id or 0})), UnitKind.delegation,
        world.luoyang.id, "2024Q1",
    )  # fmt: skip
    assert report.unit.name == "驻洛省十四届人大代表"
    assert (report.period.first, report.period.last) == (date(2024, 1, 1), date(2024, 3, 31))
    assert report.types == [
        TypeRow("inspection", "视察", "Inspection", 2, 6),
        TypeRow("research", "调研", "Research visit", 1, 3),
        TypeRow("reception", "接待群众", "Reception", 1, 2),
        TypeRow("congress_session", "参加大会", "Congress session", 1, 5),
    ]
    assert (report.activities, report.points) == (5, 16)
    assert report.group_months == [
        GroupMonthRow("一组", 2024, 1, 2, 5),
        GroupMonthRow("一组", 2024, 2, 1, 3),
        GroupMonthRow("一组", 2024, 3, 1, 3),
        GroupMonthRow("二组", 2024, 1, 1, 5),
    ]
    wang, li, zhang, zhao = (world.people[k].id for k in ("wang", "li", "zhang", "zhao"))
    assert report.people == [
        PersonRow(wang or 0, "王建国", "一组", 3, 8),
        PersonRow(zhang or 0, "张伟", "二组", 1, 5),
        PersonRow(li or 0, "李红梅", "一组", 1, 3),
        PersonRow(zhao or 0, "赵敏", "二组", 0, 0),
    ]
    assert [row.name for row in report.idle] == ["赵敏"]
    assert report.duty == [DutyRow("涧西站", 3, 1, 2, 0)]
    assert report.missed == [
        MissedDuty(date(2024, 1, 17), "涧西站", "李红梅"),
        MissedDuty(date(2024, 3, 27), "涧西站", "李红梅"),
    ]
    assert report.concerns == ConcernFigures(
        received=3,
        resolved=2,
        closed=1,
        by_state={"received": 2, "resolved": 1},
        open_by_age=(0, 1, 1, 1),
    )
    assert [(r.number, r.audience, r.read, r.rate) for r in report.reads] == [(1, 4, 2, 0.5)]
    assert not report.empty


async def test_a_group_and_a_station(session: AsyncSession) -> None:
    world = await build_world(session)
    group = await _report(session, None, UnitKind.group, world.group_one.id, "2024Q1")
    assert [(r.code, r.count, r.points) for r in group.types] == [
        ("inspection", 2, 6),
        ("research", 1, 3),
        ("reception", 1, 2),
    ]
    assert [(r.name, r.count) for r in group.people] == [("王建国", 3), ("李红梅", 1)]
    assert group.duty == [DutyRow("涧西站", 3, 1, 2, 0)]
    assert (group.concerns.received, group.concerns.resolved, group.concerns.closed) == (3, 2, 0)
    assert group.concerns.open_by_age == (0, 1, 1, 1)
    assert [(r.audience, r.read) for r in group.reads] == [(2, 1)]
    two = await _report(session, None, UnitKind.group, world.group_two.id, "2024Q1")
    assert two.duty == []
    assert (two.concerns.received, two.concerns.closed) == (0, 1)
    station = await _report(session, None, UnitKind.station, world.station.id, "2024Q1")
    assert (station.activities, station.points) == (4, 11)
    assert station.duty == [DutyRow("涧西站", 3, 1, 2, 0)]


async def test_the_quarter_under_way_counts_today_and_later_as_upcoming(
    session: AsyncSession,
) -> None:
    world = await build_world(session)
    report = await _report(session, None, UnitKind.delegation, world.luoyang.id, "2024Q2")
    assert report.duty == [DutyRow("涧西站", 2, 0, 0, 2)]
    assert report.missed == []
    # The concern of 00:30 on 1 April, local time, is the second quarter's.
    assert report.concerns.by_state == {"forwarded": 1}
    assert [(r.code, r.count) for r in report.types] == [("inspection", 1)]
    assert [r.number for r in report.reads] == [2]


async def test_a_period_with_nothing_is_empty(session: AsyncSession) -> None:
    world = await build_world(session)
    report = await _report(session, None, UnitKind.delegation, world.luoyang.id, "2022")
    assert report.empty
    assert (report.types, report.group_months, report.duty, report.reads) == ([], [], [], [])
    assert [row.count for row in report.people] == [0, 0, 0, 0]
    # Open concerns recorded by the end of 2022: none.
    assert report.concerns.open == 0


async def test_scope_group_leaders_and_representatives(session: AsyncSession) -> None:
    world = await build_world(session)
    luoyang, nanyang = world.luoyang.id or 0, world.nanyang.id or 0
    # Staff of Nanyang: Luoyang's units look like no unit at all.
    for kind, unit in (
        (UnitKind.delegation, luoyang),
        (UnitKind.group, world.group_one.id),
        (UnitKind.station, world.station.id),
    ):
        with pytest.raises(UnitNotFound):
            await _report(session, _staff(frozenset({nanyang})), kind, unit, "2024Q1")
    with pytest.raises(UnitNotFound):
        await _report(session, _staff(None), UnitKind.group, 9999, "2024Q1")
    leader = Actor(
        telegram_id=LEADER,
        roles=frozenset({Role.representative, Role.group_leader}),
        locale="zh",
        person_id=world.people["wang"].id,
    )
    mine = await _report(session, leader, UnitKind.group, world.group_one.id, "2024Q1")
    assert mine.activities == 4
    for kind, unit in ((UnitKind.group, world.group_two.id), (UnitKind.delegation, luoyang)):
        with pytest.raises(UnitNotFound):
            await _report(session, leader, kind, unit, "2024Q1")
    led = await reachable_units(session=session, actor=leader, kind=UnitKind.group)
    assert [u.name for u in led] == ["一组"]
    assert await reachable_units(session=session, actor=leader, kind=UnitKind.station) == []
    clerk_groups = await reachable_units(
        session=session, actor=_staff(frozenset({luoyang})), kind=UnitKind.group
    )
    assert [u.name for u in clerk_groups] == ["一组", "二组"]
    representative = Actor(
        telegram_id=7304, roles=frozenset({Role.representative}), locale="zh", person_id=1
    )
    with pytest.raises(PermissionDenied):
        await _report(session, representative, UnitKind.group, world.group_one.id, "2024Q1")


@pytest.mark.parametrize(
    ("text", "first", "last", "code"),
    [
        ("2024Q1", date(2024, 1, 1), date(2024, 3, 31), "2024Q1"),
        ("２０２４ｑ４", date(2024, 10, 1), date(2024, 12, 31), "2024Q4"),
        ("2023", date(2023, 1, 1), date(2023, 12, 31), "2023"),
        ("2024-01-05..2024-02-20", date(2024, 1, 5), date(2024, 2, 20), "2024-01-05..2024-02-20"),
        ("2024-1-5 至 2024-2-20", date(2024, 1, 5), date(2024, 2, 20), "2024-01-05..2024-02-20"),
    ],
)
def test_periods(text: str, first: date, last: date, code: str) -> None:
    period = parse_period(text, today=date(2025, 1, 1))
    assert (period.first, period.last, period.code) == (first, last, code)


@pytest.mark.parametrize(
    "text", ["2024Q5", "24", "1999", "2024-02-30..2024-03-01", "2024-03-01..2024-02-01", "下季度"]
)
def test_bad_periods(text: str) -> None:
    with pytest.raises(BadPeriod):
        parse_period(text, today=date(2025, 1, 1))


def test_a_period_in_the_future_is_refused_one_under_way_is_not() -> None:
    today = date(2024, 4, 10)
    with pytest.raises(FuturePeriod):
        parse_period("2024Q3", today=today)
    with pytest.raises(FuturePeriod):
        parse_period("2025", today=today)
    with pytest.raises(FuturePeriod):
        parse_period("2024-04-11..2024-04-30", today=today)
    assert parse_period("2024Q2", today=today).last == date(2024, 6, 30)
