"""The duty record: what a year holds (collect_record) and its workbook (record_xlsx)."""

from __future__ import annotations

import gettext
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from bot.i18n import LOCALES_DIR
from services.errors import NotFound
from services.files import Sheet, write_xlsx_sheets
from services.record import DutyRecord, collect_record, record_xlsx
from services.record.wording import wording_for
from storage.duty_models import ConcernState
from storage.models import Level, Mandate, Person
from tests.factories import (
    add_delegation,
    add_record_activity,
    add_record_concern,
    add_record_type,
    add_representative,
)


async def _year(session: AsyncSession) -> Person:
    """王建国's 2024: four activities in two quarters, one deleted, neighbours in other years."""
    delegation = await add_delegation(session)
    person = await add_representative(session, telegram_id=71, delegation=delegation)
    other = await add_representative(session, telegram_id=72, delegation=delegation, name="李红梅")
    await add_record_activity(session, person, date(2024, 2, 10), summary="视察洛阳博物馆")
    await add_record_activity(session, person, date(2024, 5, 1), code="reception", place="联络站")
    await add_record_activity(
        session, person, date(2024, 5, 2), summary="=1+1", points=5, for_bulletin=True
    )
    await add_record_activity(
        session, person, date(2024, 6, 1), deleted_at=datetime(2024, 6, 2, tzinfo=UTC)
    )
    await add_record_activity(session, person, date(2023, 12, 31))
    await add_record_activity(session, person, date(2025, 1, 1))
    await add_record_activity(session, other, date(2024, 3, 3))
    # 2024-01-01 01:00 in Shanghai: this year; 2025-01-01 00:30 there: the next.
    await add_record_concern(
        session,
        person,
        datetime(2023, 12, 31, 17, tzinfo=UTC),
        constituent_name="张三",
        constituent_phone="13800000000",
        consent=True,
        state=ConcernState.forwarded,
        department="市城管局",
        touched_at=datetime(2024, 1, 5, 2, tzinfo=UTC),
    )
    await add_record_concern(session, person, datetime(2024, 12, 31, 16, 30, tzinfo=UTC))
    await session.commit()
    return person


async def _record(session: AsyncSession, person: Person, **kwargs: Any) -> DutyRecord:
    assert person.id is not None
    return await collect_record(session=session, person_id=person.id, year=2024, **kwargs)


async def test_the_year_holds_its_activities_points_and_concerns(session: AsyncSession) -> None:
    person = await _year(session)
    # A later change of the type's points does not rescore what was logged.
    inspection = await add_record_type(session, "inspection")
    inspection.points = 10
    await session.commit()

    record = await _record(session, person)

    assert record.name == "王建国"
    assert [(line.day, line.type_zh, line.points) for line in record.activities] == [
        (date(2024, 2, 10), "视察", 3),
        (date(2024, 5, 1), "接待群众", 2),
        (date(2024, 5, 2), "视察", 5),
    ]
    assert record.activities[1].place == "联络站"
    assert [line.for_bulletin for line in record.activities] == [False, False, True]
    assert [(t.type_code, t.count, t.by_quarter, t.total) for t in record.points_by_type] == [
        ("inspection", 2, (3, 5, 0, 0), 8),  # position 1 before reception's 4
        ("reception", 1, (0, 2, 0, 0), 2),
    ]
    assert record.points_by_quarter == (3, 7, 0, 0)
    assert record.total_points == 10
    (concern,) = record.concerns
    assert (concern.created_on, concern.changed_on) == (date(2024, 1, 1), date(2024, 1, 5))
    assert (concern.state, concern.department) == ("forwarded", "市城管局")
    assert "张三" not in repr(record)
    assert "13800000000" not in repr(record)
    (mandate,) = record.mandates
    assert (mandate.delegation, mandate.level, mandate.term_number) == (
        "驻洛省十四届人大代表",
        Level.province,
        14,
    )


async def test_a_scope_keeps_only_its_delegations_rows(session: AsyncSession) -> None:
    person = await _year(session)
    city = await add_delegation(session, "南阳市人大代表")
    assert person.id is not None
    assert city.id is not None
    session.add(
        Mandate(person_id=person.id, level=Level.city, term_number=18, delegation_id=city.id)
    )
    await session.flush()
    province_mandate, city_mandate = (await _record(session, person)).mandates
    assert city_mandate.delegation == "南阳市人大代表"

    record = await _record(session, person, delegation_ids=frozenset({city.id}))

    assert [m.delegation for m in record.mandates] == ["南阳市人大代表"]
    assert record.activities == ()
    assert record.concerns == ()
    assert record.total_points == 0
    assert province_mandate.delegation == "驻洛省十四届人大代表"


async def test_reading_a_year_takes_the_same_queries_for_3_or_60_activities(
    session: AsyncSession,
) -> None:
    person = await _year(session)
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    sync_engine = session.bind.sync_engine if session.bind is not None else None
    assert sync_engine is not None
    event.listen(sync_engine, "before_cursor_execute", count)
    try:
        await _record(session, person)
        few = len(statements)
        for day in range(1, 58):
            await add_record_activity(session, person, date(2024, 7, 1 + day % 28))
        await session.commit()
        statements.clear()
        record = await _record(session, person)
    finally:
        event.remove(sync_engine, "before_cursor_execute", count)
    assert len(record.activities) == 60
    assert len(statements) == few <= 5


def _sheets(data: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
    }


async def test_the_workbook_has_activities_points_and_concerns_in_chinese(
    session: AsyncSession,
) -> None:
    record = await _record(session, await _year(session))

    # Levels, states and categories are named as the chat names them: its catalogue's words.
    chinese = gettext.translation("messages", LOCALES_DIR, languages=["zh"])
    sheets = _sheets(record_xlsx(record, "zh", wording_for("zh", chinese.gettext)))

    assert list(sheets) == ["履职活动", "积分", "社情民意"]
    assert sheets["履职活动"] == [
        ["日期", "活动类型", "地点", "内容摘要", "积分", "供简报"],
        [datetime(2024, 2, 10), "视察", None, "视察洛阳博物馆", 3, "否"],
        [datetime(2024, 5, 1), "接待群众", "联络站", "文旅文创融合调研", 2, "否"],
        [datetime(2024, 5, 2), "视察", None, "'=1+1", 5, "是"],  # text, never a formula
    ]
    assert sheets["积分"] == [
        ["活动类型", "次数", "2024年第一季度", "2024年第二季度", "2024年第三季度",
         "2024年第四季度", "合计"],
        ["视察", 2, 3, 5, 0, 0, 8],
        ["接待群众", 1, 0, 2, 0, 0, 2],
        ["合计", 3, 3, 7, 0, 0, 10],
    ]  # fmt: skip
    assert sheets["社情民意"] == [
        ["登记日期", "类别", "内容摘要", "地点", "状态", "转交部门", "最近变更"],
        [
            datetime(2024, 1, 1),
            "民生保障",
            "路灯不亮",
            None,
            "已转办",
            "市城管局",
            datetime(2024, 1, 5),
        ],
    ]
    cells = [cell for rows in sheets.values() for row in rows for cell in row]
    assert "张三" not in cells
    assert "13800000000" not in cells


async def test_the_workbook_in_english_and_an_empty_year(session: AsyncSession) -> None:
    person = await _year(session)
    assert person.id is not None
    empty = await collect_record(session=session, person_id=person.id, year=2019)

    sheets = _sheets(record_xlsx(empty, "en"))

    assert list(sheets) == ["Activities", "Points", "Concerns"]
    assert sheets["Activities"] == [
        ["Date", "Type", "Place", "Summary", "Points", "For the bulletin"]
    ]
    assert sheets["Points"] == [
        ["Type", "Count", "Q1 2019", "Q2 2019", "Q3 2019", "Q4 2019", "Total"],
        ["Total", 0, 0, 0, 0, 0, 0],
    ]
    assert sheets["Concerns"][0][0] == "Recorded"
    assert len(sheets["Concerns"]) == 1


async def test_an_unknown_person_has_no_record(session: AsyncSession) -> None:
    with pytest.raises(NotFound):
        await collect_record(session=session, person_id=12345, year=2024)


def test_several_sheets_are_written_with_safe_titles_and_neutralised_cells() -> None:
    data = write_xlsx_sheets(
        [
            Sheet("a/b:c?", ["=名称"], [["@cmd", 1]], widths=(30,)),
            Sheet("第二张" * 20, ["x"], []),
        ]
    )

    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["a_b_c_", ("第二张" * 20)[:31]]
    first = book.worksheets[0]
    rows = [list(row) for row in first.iter_rows(values_only=True)]
    assert rows == [["'=名称", None], ["'@cmd", 1]]
    assert first.column_dimensions["A"].width == 30
