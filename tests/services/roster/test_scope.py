"""What a scoped upload may change, what every import records in the audit, and staff rows."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.i18n import cli_locale
from services.config import Settings
from services.roster import parse_roster
from services.roster.changes import FieldChange
from services.roster.importer import ImportReport, import_roster, render_report
from storage.audit import list_audit
from storage.models import Delegation, Mandate, Person, StaffMember, StaffRole
from tests.services.roster.builders import person, roster_csv

LUOYANG, ZHENG = "驻洛省十四届人大代表", "驻郑省十四届人大代表"


async def _import(
    session: AsyncSession,
    *rows: Sequence[object],
    scope: frozenset[int] | None = None,
    actor: int = 700,
) -> ImportReport:
    report = await import_roster(
        session=session,
        parsed=parse_roster(roster_csv(*rows), "roster.csv"),
        scope=scope,
        actor_telegram_id=actor,
        dry_run=False,
        skip_bad=False,
    )
    await session.commit()
    return report


async def _scope_of(session: AsyncSession, name: str) -> frozenset[int]:
    found = await session.scalar(select(Delegation).where(col(Delegation.name) == name))
    assert found is not None
    assert found.id is not None
    return frozenset({found.id})


async def _person(session: AsyncSession, name: str) -> Person:
    query = select(Person).where(col(Person.name) == name)
    found = await session.scalar(query.execution_options(populate_existing=True))
    assert found is not None
    return found


def _wang(delegation: str, **cells: str) -> list[str]:
    defaults = {"external_id": "P1", "phone": "13800000001", "group": "第一小组"}
    return person("王建国", delegation=delegation, **(defaults | cells))


async def test_a_person_also_on_another_roster_keeps_name_and_phone_for_scoped_staff(
    session: AsyncSession,
) -> None:
    await _import(session, _wang(LUOYANG), _wang(ZHENG))
    assert len((await session.scalars(select(Person))).all()) == 1  # one person, two mandates
    scope = await _scope_of(session, LUOYANG)

    report = await _import(
        session, _wang(LUOYANG, phone="13700000000", group="第二小组"), scope=scope
    )

    [warning] = report.warnings
    assert warning.params == {"name": "王建国"}
    assert "only an administrator can change them" in warning.message
    # Nothing says why: that the entry is also used elsewhere lies outside the scope.
    assert "outside" not in warning.message
    assert "staff" not in warning.message
    # The mandate in scope follows the file; the person shared with 驻郑省 does not.
    [change] = report.changes
    assert change.fields == (FieldChange("group", "第一小组", "第二小组"),)
    assert (await _person(session, "王建国")).phone == "13800000001"

    by_admin = await _import(session, _wang(LUOYANG, phone="13700000000", group="第二小组"))
    assert by_admin.warnings == []
    assert (await _person(session, "王建国")).phone == "13700000000"


async def test_a_representative_who_is_also_staff_keeps_name_and_phone(
    session: AsyncSession,
) -> None:
    await _import(
        session,
        _wang(LUOYANG),
        person("王建国", delegation=LUOYANG, phone="13800000001", role="工作人员"),
    )
    scope = await _scope_of(session, LUOYANG)

    report = await _import(
        session, _wang(LUOYANG, external_id="P1", phone="13900000009"), scope=scope
    )

    assert [w.params for w in report.warnings] == [{"name": "王建国"}]
    assert (await _person(session, "王建国")).phone == "13800000001"


async def test_a_person_only_in_scope_is_renamed_and_rephoned_with_old_and_new_listed(
    session: AsyncSession,
) -> None:
    await _import(session, _wang(LUOYANG))
    scope = await _scope_of(session, LUOYANG)

    report = await _import(
        session,
        person("王建", external_id="P1", delegation=LUOYANG, phone="13900000009"),
        scope=scope,
    )

    assert report.warnings == []
    [change] = report.changes
    assert (change.row, change.name, change.delegation, change.created) == (
        2,
        "王建",
        LUOYANG,
        False,
    )
    assert change.fields == (
        FieldChange("name", "王建国", "王建"),
        FieldChange("phone", "13800000001", "13900000009"),
        FieldChange("group", "第一小组", None),
    )
    stored = await _person(session, "王建")
    assert stored.phone == "13900000009"


async def test_every_import_is_audited_with_its_actor_and_each_change(
    session: AsyncSession,
) -> None:
    await _import(session, _wang(LUOYANG), actor=701)
    scope = await _scope_of(session, LUOYANG)
    await _import(
        session,
        _wang(LUOYANG, group="第二小组", leader="是"),
        person("李红梅", delegation=LUOYANG),
        scope=scope,
        actor=702,
    )

    second, first = await list_audit(session=session, action="roster.import")
    assert (first.actor_telegram_id, first.details["admin"], first.details["scope"]) == (
        701,
        True,
        None,
    )
    assert [c["name"] for c in first.details["changes"]] == ["王建国"]
    assert second.actor_telegram_id == 702
    assert (second.details["admin"], second.details["scope"]) == (False, sorted(scope))
    assert second.details["changes"] == [
        {
            "row": 2,
            "name": "王建国",
            "delegation": LUOYANG,
            "role": "representative",
            "created": False,
            "fields": {"group": ["第一小组", "第二小组"], "group leader": [False, True]},
        },
        {
            "row": 3,
            "name": "李红梅",
            "delegation": LUOYANG,
            "role": "representative",
            "created": True,
            "fields": {},
        },
    ]


async def test_a_staff_row_needs_no_term_but_a_representative_row_does(
    session: AsyncSession,
) -> None:
    report = await _import(
        session,
        _wang(LUOYANG),
        person("马文静", external_id="S1", delegation=LUOYANG, term="", role="工作人员"),
        person("韩立新", external_id="A1", delegation=LUOYANG, term="", role="管理员"),
    )

    assert report.errors == []
    roles = {s.role for s in (await session.scalars(select(StaffMember))).all()}
    assert roles == {StaffRole.staff, StaffRole.admin}
    assert len((await session.scalars(select(Mandate))).all()) == 1

    blocked = await _import(session, person("李红梅", delegation=LUOYANG, term=""))
    [error] = blocked.errors
    assert (error.row, error.message) == (2, "The {column} cell is empty; it is required.")


async def test_a_staff_member_made_admin_is_listed_with_the_role_in_the_readers_language(
    session: AsyncSession, settings: Settings
) -> None:
    await _import(session, person("马文静", external_id="S1", delegation=LUOYANG, role="工作人员"))

    report = await _import(
        session, person("马文静", external_id="S1", delegation=LUOYANG, role="管理员")
    )

    with cli_locale(settings, "zh"):
        lines = render_report(report)
    assert lines[-2:] == [
        "更新人员：1",
        "马文静（驻洛省十四届人大代表），角色：工作人员 → 管理员；全部代表团：否 → 是",
    ]
