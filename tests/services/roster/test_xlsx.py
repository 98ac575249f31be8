"""XLSX workbooks: typed cells, formulas, merged cells, and the limits on what is read."""

import io
import zipfile
from datetime import date, datetime

from services.roster import Level, RosterParseResult, parse_roster
from tests.services.roster.builders import HEADER_ZH, person, with_cached_result, xlsx_bytes
from tests.services.roster.workbooks import roster_rows, row_xml, understating, workbook

UNSAVED_FORMULA = (
    "The cell {cell} holds a formula whose result was not saved; "
    "open the file in Excel, save it and send it again."
)


def test_typed_excel_cells_are_normalised() -> None:
    header = [
        "姓名",
        "代表证号",
        "层级",
        "届次",
        "代表团",
        "手机",
        "组长",
        "代表小组",
        "任期开始",
        "任期结束",
    ]
    row = ["张三", 41001, "省", 14.0, "驻洛阳代表团", 13812345678.0, True, "一组"]
    data = xlsx_bytes([header, [*row, datetime(2023, 1, 1), 46752]])

    result = parse_roster(data, "名册.xlsx")

    assert result.errors == []
    [parsed] = result.rows
    assert (parsed.external_id, parsed.term, parsed.phone) == ("41001", 14, "13812345678")
    assert (parsed.is_group_leader, parsed.group) == (True, "一组")
    assert (parsed.term_start, parsed.term_end) == (date(2023, 1, 1), date(2027, 12, 31))


def test_formulas_use_the_saved_result_and_reject_a_missing_one() -> None:
    data = xlsx_bytes(
        [
            HEADER_ZH,
            ['="张"&"三"', *person()[1:]],
            ['="李"&"四"', *person()[1:]],
            ["王五", "", "省", "=10+4", *person()[4:]],
        ]
    )
    data = with_cached_result(data, "A2", "张三")

    result = parse_roster(data, "roster.xlsx")

    assert [row.name for row in result.rows] == ["张三"]
    assert [(e.row, e.message, e.params) for e in result.errors] == [
        (3, UNSAVED_FORMULA, {"cell": "A3", "column": "姓名"}),
        (4, UNSAVED_FORMULA, {"cell": "D4", "column": "届次"}),
    ]


def test_merged_header_cells_and_merged_delegation_cells() -> None:
    header = ["姓名", None, "层级", "届次", "代表团", "手机"]
    rows = [
        header,
        ["张三", None, "省", "第十四届", "驻洛阳代表团", "13812345678"],
        ["李四", None, "省", "第十四届", None, "13912345678"],
        ["王五", None, "市", "第十四届", "驻郑州代表团", None],
    ]
    # "姓名" spans A1:B1 and the delegation cell spans the two Luoyang members, as staff lay it out.
    data = xlsx_bytes(rows, merges=["A1:B1", "E2:E3"])

    result = parse_roster(data, "roster.xlsx")

    assert result.errors == []
    assert result.warnings == []
    assert [(row.row_number, row.name, row.delegation) for row in result.rows] == [
        (2, "张三", "驻洛阳代表团"),
        (3, "李四", "驻洛阳代表团"),
        (4, "王五", "驻郑州代表团"),
    ]
    assert [row.level for row in result.rows] == [Level.province, Level.province, Level.city]


def test_merged_title_row_above_the_header() -> None:
    rows = [["河南省第十四届人大代表名册"], HEADER_ZH, person("张三")]
    data = xlsx_bytes(rows, merges=["A1:J1"])

    result = parse_roster(data, "roster.xlsx")

    assert [(row.row_number, row.name) for row in result.rows] == [(3, "张三")]
    assert [w.params for w in result.warnings] == [{"row": 2}]


def test_excel_error_values_are_bad_cells() -> None:
    data = xlsx_bytes([HEADER_ZH, person(phone="#N/A")])

    result = parse_roster(data, "roster.xlsx")

    assert [(e.row, e.message, e.params) for e in result.errors] == [
        (
            2,
            "The cell holds the Excel error {value}; correct it in the file.",
            {"value": "#N/A", "column": "手机"},
        )
    ]


def test_only_the_active_sheet_is_read_and_staff_are_told() -> None:
    data = xlsx_bytes([HEADER_ZH, person("张三")], extra_sheets=["说明"])

    result = parse_roster(data, "roster.xlsx")

    assert [row.name for row in result.rows] == ["张三"]
    assert [(w.row, w.params) for w in result.warnings] == [(0, {"count": 2, "sheet": "名册"})]


def test_empty_workbook_has_no_header() -> None:
    result = parse_roster(xlsx_bytes([]), "roster.xlsx")

    assert [(e.row, e.message) for e in result.errors] == [
        (0, "The file has no rows with content.")
    ]


def _errors(result: RosterParseResult) -> list[tuple[int, str, dict[str, object]]]:
    return [(e.row, e.message, dict(e.params)) for e in result.errors]


def test_a_workbook_of_too_many_parts_is_refused() -> None:
    data = workbook(roster_rows(1), extra_members=1_000)

    result = parse_roster(data, "roster.xlsx")

    assert _errors(result) == [
        (
            0,
            "The file {filename} is made of more than {limit} parts; a roster workbook has far "
            "fewer. Save the roster alone in a new workbook and send it again.",
            {"filename": "roster.xlsx", "limit": 1_000},
        )
    ]


def test_a_member_that_understates_its_size_is_refused_in_place() -> None:
    result = parse_roster(understating(8, declared=4_096), "roster.xlsx")

    assert [(e.row, e.params) for e in result.errors] == [(0, {"filename": "roster.xlsx"})]
    assert result.errors[0].message.startswith("The file {filename} is damaged")


def test_content_beyond_the_column_limit_is_refused() -> None:
    far_note = [*person(), *[""] * 190, "备注"]
    assert len(far_note) == 201
    data = workbook([row_xml(HEADER_ZH), row_xml(far_note)])

    result = parse_roster(data, "roster.xlsx")

    assert [(e.row, e.params) for e in result.errors] == [(0, {"limit": 200})]
    assert result.errors[0].message.startswith("The sheet has content beyond column {limit}")


def test_a_cell_longer_than_the_limit_is_a_bad_cell_where_it_matters() -> None:
    header = [*HEADER_ZH, "备注"]
    rows = [header, person("张" * 1_001), [*person("李四"), "说明" * 2_000]]

    result = parse_roster(xlsx_bytes(rows), "roster.xlsx")

    assert _errors(result) == [
        (
            2,
            "The cell holds more than {limit} characters; a roster cell is far shorter.",
            {"limit": 1_000, "column": "姓名"},
        )
    ]
    # The long note sits in a column the roster ignores, so its row is still valid.
    assert [row.name for row in result.rows] == ["李四"]


def test_rows_far_apart_are_read_by_their_numbers() -> None:
    far = row_xml(person("王五")).replace(b"<row>", b'<row r="1000000">')
    data = workbook([row_xml(HEADER_ZH), row_xml(person("张三")), far])

    result = parse_roster(data, "roster.xlsx")

    assert result.errors == []
    assert [(row.row_number, row.name) for row in result.rows] == [(2, "张三"), (1_000_000, "王五")]


def test_a_row_numbered_beyond_excel_is_not_a_workbook() -> None:
    beyond = row_xml(person("王五")).replace(b"<row>", b'<row r="1048577">')
    data = workbook([row_xml(HEADER_ZH), beyond])

    result = parse_roster(data, "roster.xlsx")

    assert [(e.row, e.params) for e in result.errors] == [(0, {"filename": "roster.xlsx"})]
    assert "not a readable XLSX workbook" in result.errors[0].message


def test_a_shared_string_table_over_its_limit_is_refused() -> None:
    buffer = io.BytesIO(xlsx_bytes([HEADER_ZH, person()]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        # A million tiny strings would keep openpyxl busy long before any row is read.
        archive.writestr("xl/sharedStrings.xml", b"<si><t>a</t></si>" * (17 * 1024 * 1024 // 16))

    result = parse_roster(buffer.getvalue(), "roster.xlsx")

    assert [(e.row, e.params) for e in result.errors] == [
        (0, {"filename": "roster.xlsx", "limit": 16})
    ]
    assert result.errors[0].message.startswith(
        "The file {filename} unpacks to more than {limit} MB"
    )
