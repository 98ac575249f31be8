"""The roster importer: what a parsed file does to the database, and what the report says."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import TypeVar

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import SQLModel, col, select

from bot.benchmarks.roster import run_roster_bench
from bot.i18n import cli_locale
from services.config import Settings
from services.roster import parse_roster
from services.roster.importer import ImportReport, RosterChanged, import_roster, render_report
from services.roster.report import LINE_LIMIT
from storage.audit import list_audit
from storage.db import create_sessionmaker
from storage.models import (
    AuditLog,
    Delegation,
    Group,
    Level,
    Mandate,
    Person,
    StaffMember,
    StaffRole,
    StaffScope,
    Station,
)
from storage.roster import RosterSnapshot, load_roster_snapshot
from tests.services.roster.builders import person, roster_csv

T = TypeVar("T", bound=SQLModel)

PROVINCE = "驻洛省十四届人大代表"
CITY = "洛阳市人大代表"
ZHENG = "驻郑省十四届人大代表"


def _wang(**changes: str) -> list[str]:
    cells = {
        "external_id": "P001",
        "delegation": PROVINCE,
        "group": "第一代表小组",
        "leader": "是",
        "station": "西工区代表联络站",
        "phone": "13800000001",
    }
    return person("王建国", **(cells | changes))


def _wang_in_the_city(**changes: str) -> list[str]:
    """The same 王建国, also a city representative: same name, same phone, the city's own id."""
    cells = {"external_id": "C009", "level": "市", "term": "第十六届", "delegation": CITY}
    return _wang(**(cells | {"leader": ""} | changes))


def _li(**changes: str) -> list[str]:
    cells = {"external_id": "P002", "delegation": PROVINCE, "group": "第一代表小组"}
    return person("李红梅", **(cells | changes))


def _zhao(**changes: str) -> list[str]:
    cells = {
        "external_id": "C001",
        "level": "市",
        "term": "第十六届",
        "delegation": CITY,
        "group": "第一代表小组",
        "station": "涧西区代表联络站",
    }
    return person("赵志强", **(cells | changes))


async def _import(
    session: AsyncSession,
    *rows: Sequence[object],
    scope: frozenset[int] | None = None,
    dry_run: bool = False,
    skip_bad: bool = False,
) -> ImportReport:
    report = await import_roster(
        session=session,
        parsed=parse_roster(roster_csv(*rows), "roster.csv"),
        scope=scope,
        actor_telegram_id=700,
        dry_run=dry_run,
        skip_bad=skip_bad,
    )
    await session.commit()
    return report


async def _all(session: AsyncSession, table: type[T]) -> list[T]:
    # What is stored, not what the session remembers.
    query = select(table).execution_options(populate_existing=True)
    return list((await session.scalars(query)).all())


async def _mandate(session: AsyncSession, roster_id: str) -> Mandate:
    query = select(Mandate).where(col(Mandate.roster_id) == roster_id)
    found = await session.scalar(query.execution_options(populate_existing=True))
    assert found is not None
    return found


async def _delegation_id(session: AsyncSession, name: str) -> int:
    found = await session.scalar(select(Delegation).where(col(Delegation.name) == name))
    assert found is not None
    assert found.id is not None
    return found.id


async def test_first_import_creates_the_roster(session: AsyncSession) -> None:
    report = await _import(session, _wang(), _li(), _zhao())

    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    assert report.applied
    assert report.errors == []
    assert report.new_delegations == [PROVINCE, CITY]
    assert (report.new_groups, report.new_stations, report.people_created) == (2, 2, 3)
    delegations = {d.name: d for d in await _all(session, Delegation)}
    assert {name: d.level for name, d in delegations.items()} == {
        PROVINCE: Level.province,
        CITY: Level.city,
    }
    names = {d.id: name for name, d in delegations.items()}
    # A group name is unique within its delegation only.
    groups = {(names[g.delegation_id], g.name): g for g in await _all(session, Group)}
    assert set(groups) == {(PROVINCE, "第一代表小组"), (CITY, "第一代表小组")}
    stations = {s.name: s for s in await _all(session, Station)}
    assert stations["西工区代表联络站"].delegation_id == delegations[PROVINCE].id
    wang = await _mandate(session, "P001")
    assert (wang.level, wang.term_number, wang.is_group_leader, wang.active) == (
        Level.province,
        14,
        True,
        True,
    )
    assert wang.group_id == groups[(PROVINCE, "第一代表小组")].id
    assert wang.station_id == stations["西工区代表联络站"].id
    zhao = await _mandate(session, "C001")
    assert (zhao.level, zhao.term_number, zhao.delegation_id) == (
        Level.city,
        16,
        delegations[CITY].id,
    )
    people = {p.name: p for p in await _all(session, Person)}
    assert people["王建国"].phone == "13800000001"
    assert people["李红梅"].phone is None
    [entry] = await list_audit(session=session, action="roster.import")
    assert entry.actor_telegram_id == 700
    assert entry.details["created"] == 3


async def test_a_second_import_of_the_same_file_changes_nothing(session: AsyncSession) -> None:
    await _import(session, _wang(), _li(), _zhao())

    report = await _import(session, _wang(), _li(), _zhao())

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert report.new_delegations == []
    assert (report.new_groups, report.new_stations, report.people_created) == (0, 0, 0)
    assert len(await _all(session, Person)) == 3
    assert len(await _all(session, Mandate)) == 3
    assert len(await _all(session, Group)) == 2
    assert len(await _all(session, AuditLog)) == 2


async def test_edited_rows_are_updated_in_place(session: AsyncSession) -> None:
    await _import(session, _wang(), _li(), _zhao())
    before = await _mandate(session, "P002")

    report = await _import(
        session,
        _wang(leader="否"),
        _li(phone="13900000002", group="第二代表小组"),
        _zhao(),
    )

    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert report.new_groups == 1
    li = await _mandate(session, "P002")
    assert li.id == before.id
    group = await session.get(Group, li.group_id)
    assert group is not None
    assert group.name == "第二代表小组"
    assert (await _mandate(session, "P001")).is_group_leader is False
    people = {p.name: p for p in await _all(session, Person)}
    assert people["李红梅"].phone == "13900000002"
    assert people["李红梅"].updated_at > people["李红梅"].created_at
    assert len(await _all(session, Person)) == 3


async def test_empty_optional_cells_keep_the_phone_but_not_the_group(
    session: AsyncSession,
) -> None:
    await _import(session, _wang())

    report = await _import(session, _wang(phone="", group="", leader="", station=""))

    assert report.updated == 1
    wang = await _mandate(session, "P001")
    assert (wang.group_id, wang.station_id, wang.is_group_leader) == (None, None, False)
    [stored] = await _all(session, Person)
    assert stored.phone == "13800000001"


async def test_ids_added_later_attach_to_the_entries_found_by_name(
    session: AsyncSession,
) -> None:
    await _import(session, _wang(external_id=""), _li(external_id=""))

    report = await _import(session, _wang(), _li())

    assert (report.created, report.updated) == (0, 2)
    assert {m.roster_id for m in await _all(session, Mandate)} == {"P001", "P002"}


async def test_one_person_at_two_levels_has_two_mandates(session: AsyncSession) -> None:
    city_row = _wang_in_the_city()

    report = await _import(session, _wang(), city_row)

    assert (report.created, report.people_created) == (2, 1)
    [stored] = await _all(session, Person)
    mandates = await _all(session, Mandate)
    assert sorted(m.level for m in mandates) == [Level.city, Level.province]
    assert {m.person_id for m in mandates} == {stored.id}
    again = await _import(session, _wang(), city_row)
    assert (again.created, again.unchanged) == (0, 2)
    assert len(await _all(session, Person)) == 1


async def test_a_second_level_in_a_later_file_finds_the_stored_person(
    session: AsyncSession,
) -> None:
    await _import(session, _wang())

    city_row = _wang_in_the_city()
    report = await _import(session, city_row)

    assert (report.created, report.people_created, report.warnings) == (1, 0, [])
    assert len(await _all(session, Person)) == 1
    assert len(await _all(session, Mandate)) == 2


async def test_rows_of_one_person_with_two_phones_keep_the_first(
    session: AsyncSession,
) -> None:
    await _import(session, _wang(), _wang_in_the_city())

    report = await _import(session, _wang(), _wang_in_the_city(phone="13900000009"))

    [warning] = report.warnings[1:]  # the first is the parser's namesake check
    assert (warning.row, warning.params["first_row"]) == (3, 2)
    assert "different phone numbers" in warning.message
    assert report.unchanged == 2
    [stored] = await _all(session, Person)
    assert stored.phone == "13800000001"


async def test_a_deactivated_representative_listed_again_is_active(
    session: AsyncSession,
) -> None:
    await _import(session, _wang())
    mandate = await _mandate(session, "P001")
    mandate.active = False
    await session.commit()

    report = await _import(session, _wang())

    assert report.updated == 1
    assert (await _mandate(session, "P001")).active is True


async def test_namesakes_in_two_delegations_are_two_people_with_a_warning(
    session: AsyncSession,
) -> None:
    report = await _import(
        session,
        person("张伟", delegation=PROVINCE, phone="13800000011"),
        person("张伟", delegation=ZHENG, phone="13800000012"),
    )

    assert report.created == 2
    assert len(await _all(session, Person)) == 2
    [warning] = report.warnings
    assert (warning.row, warning.params["name"]) == (3, "张伟")


async def test_a_namesake_of_a_stored_person_is_warned_about(session: AsyncSession) -> None:
    await _import(session, person("张伟", delegation=PROVINCE))

    report = await _import(session, person("张伟", delegation=ZHENG))

    [warning] = report.warnings
    assert warning.row == 2
    assert "same name as a person already on the roster" in warning.message
    assert len(await _all(session, Person)) == 2


async def test_a_representative_missing_from_the_file_is_listed_and_stays(
    session: AsyncSession,
) -> None:
    await _import(session, _wang(), _li(), _zhao())

    report = await _import(session, _wang())

    # 赵志强 is in another delegation, which this file does not cover.
    assert report.missing == ["李红梅"]
    assert (await _mandate(session, "P002")).active is True
    assert len(await _all(session, Mandate)) == 3


async def test_a_bad_row_stops_the_whole_import(session: AsyncSession) -> None:
    report = await _import(session, _wang(), person("坏行", level="部"), _li())

    assert report.applied is False
    assert report.blocked
    [error] = report.errors
    assert error.row == 3
    assert error.params["value"] == "部"
    assert report.created == 2  # what the valid rows would do
    assert await _all(session, Person) == []
    assert await _all(session, Delegation) == []
    assert await _all(session, AuditLog) == []


async def test_skip_bad_imports_the_valid_rows_at_once(session: AsyncSession) -> None:
    report = await _import(session, _wang(), person("坏行", level="部"), _li(), skip_bad=True)

    assert report.applied
    assert [error.row for error in report.errors] == [3]
    assert report.created == 2
    assert {p.name for p in await _all(session, Person)} == {"王建国", "李红梅"}
    [entry] = await list_audit(session=session, action="roster.import")
    assert entry.details["bad_rows"] == 1


async def test_a_dry_run_reports_and_changes_nothing(session: AsyncSession) -> None:
    await _import(session, _wang(), _li())

    report = await _import(session, _wang(phone="13700000000"), _li(), _zhao(), dry_run=True)

    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    assert report.applied is False
    assert report.new_delegations == [CITY]
    assert len(await _all(session, Mandate)) == 2
    assert {p.phone for p in await _all(session, Person)} == {"13800000001", None}
    assert len(await _all(session, AuditLog)) == 1


async def test_scoped_staff_import_only_rows_of_their_delegations(
    session: AsyncSession,
) -> None:
    await _import(session, _wang(), _zhao())
    scope = frozenset({await _delegation_id(session, PROVINCE)})

    report = await _import(
        session,
        _wang(phone="13700000000"),
        _zhao(phone="13700000001"),
        person("新人", delegation="新代表团"),
        _li(),
        scope=scope,
        skip_bad=True,
    )

    # A delegation outside the scope and one that does not exist get the same answer.
    assert [(e.row, e.message, e.params) for e in report.errors] == [
        (3, "The delegation {delegation} is not in your scope.", {"delegation": CITY}),
        (4, "The delegation {delegation} is not in your scope.", {"delegation": "新代表团"}),
    ]
    assert (report.created, report.updated) == (1, 1)
    phones = {p.name: p.phone for p in await _all(session, Person)}
    assert phones == {"王建国": "13700000000", "赵志强": None, "李红梅": None}
    assert {d.name for d in await _all(session, Delegation)} == {PROVINCE, CITY}


async def test_scoped_staff_cannot_move_someone_in_from_another_delegation(
    session: AsyncSession,
) -> None:
    await _import(session, _wang(), person("孙强", external_id="Z001", delegation=ZHENG))
    scope = frozenset({await _delegation_id(session, PROVINCE)})

    report = await _import(
        session, person("孙强", external_id="Z001", delegation=PROVINCE), scope=scope
    )

    # Ids are issued per delegation: this is a new representative of PROVINCE, and the one in
    # ZHENG is neither moved nor mentioned.
    assert (report.errors, report.warnings, report.created) == ([], [], 1)
    mandates = {(m.roster_id, m.delegation_id) for m in await _all(session, Mandate)}
    assert mandates >= {
        ("Z001", await _delegation_id(session, ZHENG)),
        ("Z001", await _delegation_id(session, PROVINCE)),
    }
    assert [p.name for p in await _all(session, Person)].count("孙强") == 2


async def test_staff_and_admin_rows_become_staff_roles(session: AsyncSession) -> None:
    report = await _import(
        session,
        _wang(),
        person("孙丽", external_id="S01", delegation=PROVINCE, role="工作人员"),
        person("周敏", external_id="S02", delegation=CITY, level="市", role="管理员"),
    )

    assert report.created == 3
    people = {p.name: p for p in await _all(session, Person)}
    assert people["孙丽"].staff_code == "S01"
    staff = {s.person_id: s for s in await _all(session, StaffMember)}
    sun, zhou = staff[people["孙丽"].id], staff[people["周敏"].id]
    assert (sun.role, sun.all_delegations) == (StaffRole.staff, False)
    assert (zhou.role, zhou.all_delegations) == (StaffRole.admin, True)
    scopes = {(s.staff_id, s.delegation_id) for s in await _all(session, StaffScope)}
    assert (sun.id, await _delegation_id(session, PROVINCE)) in scopes
    assert len(await _all(session, Mandate)) == 1
    again = await _import(
        session,
        person("孙丽", external_id="S01", delegation=PROVINCE, role="工作人员"),
        person("孙丽", external_id="S01", delegation=CITY, level="市", role="工作人员"),
    )
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert len(await _all(session, StaffScope)) == 3


async def test_scoped_staff_cannot_import_or_change_staff_or_admins(
    session: AsyncSession,
) -> None:
    await _import(session, person("周敏", external_id="S02", delegation=PROVINCE, role="管理员"))
    scope = frozenset({await _delegation_id(session, PROVINCE)})

    report = await _import(
        session,
        person("周敏", external_id="S02", delegation=PROVINCE, role="工作人员"),
        person("吴刚", external_id="S03", delegation=PROVINCE, role="管理员"),
        person("郑洁", delegation=PROVINCE, role="工作人员"),
        scope=scope,
        skip_bad=True,
    )

    assert [(e.row, e.message) for e in report.errors] == [
        (row, "Only an administrator can import staff or administrators.") for row in (2, 3, 4)
    ]
    [stored] = await _all(session, StaffMember)
    assert stored.role == StaffRole.admin
    assert {p.name for p in await _all(session, Person)} == {"周敏"}


async def test_staff_of_every_delegation_still_cannot_import_staff(
    session: AsyncSession,
) -> None:
    """Seeing every delegation (`admin grant` without delegations) is not being an admin."""
    await _import(session, _wang())

    report = await import_roster(
        session=session,
        parsed=parse_roster(
            roster_csv(
                person("郑洁", delegation=PROVINCE, role="工作人员"),
                person("新人", delegation="新代表团"),
            ),
            "roster.csv",
        ),
        scope=None,
        admin=False,
        actor_telegram_id=701,
        dry_run=False,
        skip_bad=False,
    )

    assert [e.message for e in report.errors] == [
        "Only an administrator can import staff or administrators.",
        "The delegation {delegation} does not exist, "
        "and only an administrator can add delegations.",
    ]
    assert await _all(session, StaffMember) == []
    assert {d.name for d in await _all(session, Delegation)} == {PROVINCE}


async def test_rows_that_would_clash_are_rejected(session: AsyncSession) -> None:
    await _import(
        session,
        person("张伟", external_id="P100", delegation=PROVINCE),
        person("张伟", external_id="P101", delegation=PROVINCE),
    )

    report = await _import(
        session,
        person("张伟", delegation=PROVINCE),
        # Another congress's P100 is someone else: ids are unique per delegation and level.
        person("赵强", external_id="P100", level="市", delegation=CITY),
        _wang(),
        _wang(external_id="", group="", leader=""),
    )

    ambiguous, duplicate = report.errors
    assert (ambiguous.row, ambiguous.params) == (2, {"name": "张伟", "delegation": PROVINCE})
    assert "add their representative ids" in ambiguous.message
    assert (duplicate.row, duplicate.params) == (5, {"name": "王建国", "first_row": 4})
    assert "matches the same entry" in duplicate.message


async def test_a_write_conflict_leaves_nothing_behind(
    session: AsyncSession, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def read_then_someone_else_writes(*, session: AsyncSession) -> RosterSnapshot:
        snapshot = await load_roster_snapshot(session=session)
        async with create_sessionmaker(engine).begin() as other:
            # The import is about to add this delegation itself.
            delegation = Delegation(name=PROVINCE, level=Level.province)
            other.add(delegation)
            holder = Person(name="别人")
            other.add(holder)
            await other.flush()
            assert delegation.id is not None
            assert holder.id is not None
            other.add(
                Mandate(
                    person_id=holder.id,
                    delegation_id=delegation.id,
                    level=Level.province,
                    term_number=14,
                    roster_id="P002",
                )
            )
        return snapshot

    monkeypatch.setattr(
        "services.roster.importer.load_roster_snapshot", read_then_someone_else_writes
    )

    with pytest.raises(RosterChanged):
        await _import(session, _wang(), _li())
    # The caller may still commit its session: the import's own writes are gone.
    await session.commit()

    assert {p.name for p in await _all(session, Person)} == {"别人"}
    assert {d.name for d in await _all(session, Delegation)} == {PROVINCE}
    assert await _all(session, AuditLog) == []


async def test_values_from_the_file_are_stored_verbatim_and_escaped_for_the_chat(
    session: AsyncSession, settings: Settings
) -> None:
    name = "<b>王</b>&李"
    report = await _import(
        session,
        person(name, delegation="驻<i>洛</i>&"),
        person("坏行", level="<u>部</u>"),
        skip_bad=True,
    )

    [stored] = await _all(session, Person)
    assert stored.name == name
    with cli_locale(settings, "en"):
        plain = "\n".join(render_report(report))
        escaped = "\n".join(render_report(report, escape=html.escape))
    assert "New delegation: 驻<i>洛</i>&" in plain
    assert "Unknown level <u>部</u>" in plain
    assert "New delegation: 驻&lt;i&gt;洛&lt;/i&gt;&amp;" in escaped
    assert "Unknown level &lt;u&gt;部&lt;/u&gt;" in escaped
    assert "<" not in escaped.replace("&lt;", "")


async def test_the_report_reads_as_sentences_and_cuts_long_lists(
    session: AsyncSession, settings: Settings
) -> None:
    await _import(session, *[person(f"代表{n:02d}", delegation=PROVINCE) for n in range(30)])
    bad = [person(f"坏{n:02d}", delegation=PROVINCE, level="部") for n in range(25)]

    report = await _import(session, person("代表00", delegation=PROVINCE), *bad)

    with cli_locale(settings, "en"):
        lines = render_report(report)
    assert lines[0] == "Would be new: 0. Would be updated: 0. Unchanged: 1."
    assert lines[1] == "Errors: 25"
    assert lines[2].startswith("Row 3: Unknown level 部;")
    assert lines[2 + LINE_LIMIT] == "… and 5 more"
    # The limit is for the whole report, not per list: the rest is in the attached file.
    assert lines[3 + LINE_LIMIT :] == ["Not in the file but still active: 29", "… and 29 more"]


async def test_the_bench_prints_its_figures(capsys: pytest.CaptureFixture[str]) -> None:
    await run_roster_bench(rows=200)

    output = capsys.readouterr().out
    first = next(line for line in output.splitlines() if line.startswith("first import"))
    again = next(line for line in output.splitlines() if line.startswith("re-import"))
    assert first.split()[-3:] == ["200", "0", "0"]
    assert again.split()[-3:] == ["0", "0", "200"]
    assert "people 180" in output
