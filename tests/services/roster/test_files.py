"""File-level behaviour: encodings, file types, empty and binary files, headers, limits."""

import pytest

from services.roster import FILE_LEVEL, Level, Role, RosterRow, parse_roster
from tests.services.roster.builders import HEADER_EN, HEADER_ZH, csv_bytes, person, roster_csv


def test_chinese_header_csv_gives_complete_rows() -> None:
    data = roster_csv(
        person(
            "张三",
            external_id="41001",
            group="第一小组",
            leader="是",
            station="西工区代表联络站",
            phone="13812345678",
            role="代表",
        ),
        person("李四", level="市级", term="十四届", role="工作人员"),
    )

    result = parse_roster(data, "名册.csv")

    assert result.ok
    assert result.errors == []
    assert result.warnings == []
    assert result.rows == [
        RosterRow(
            row_number=2,
            external_id="41001",
            name="张三",
            level=Level.province,
            term=14,
            term_start=None,
            term_end=None,
            delegation="驻洛阳代表团",
            group="第一小组",
            is_group_leader=True,
            station="西工区代表联络站",
            phone="13812345678",
            role=Role.REPRESENTATIVE,
        ),
        RosterRow(
            row_number=3,
            external_id=None,
            name="李四",
            level=Level.city,
            term=14,
            term_start=None,
            term_end=None,
            delegation="驻洛阳代表团",
            group=None,
            is_group_leader=False,
            station=None,
            phone=None,
            role=Role.STAFF,
        ),
    ]


def test_english_headers_in_any_case_and_spacing() -> None:
    header = [f"  {title.upper()} " for title in HEADER_EN]
    header[8] = "phone_number"
    data = roster_csv(
        person("Li Lei", level="county", term="14", role="admin", phone="0371-12345678"),
        header=header,
    )

    result = parse_roster(data, "roster.CSV")

    assert result.errors == []
    row = result.rows[0]
    assert (row.name, row.level, row.term, row.role) == ("Li Lei", "county", 14, "admin")
    assert row.phone == "0371-12345678"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_encodings_excel_writes_are_decoded(encoding: str) -> None:
    data = csv_bytes([HEADER_ZH, person("欧阳娜娜", delegation="驻郑州代表团")], encoding=encoding)

    result = parse_roster(data, "roster.csv")

    assert [(row.name, row.delegation) for row in result.rows] == [("欧阳娜娜", "驻郑州代表团")]


def test_gb18030_only_characters_survive() -> None:
    rare_names = ["刘䶮", "王𠀀"]
    for rare in rare_names:
        with pytest.raises(UnicodeEncodeError):
            rare.encode("gbk")
    data = csv_bytes([HEADER_ZH, *(person(name) for name in rare_names)], encoding="gb18030")

    result = parse_roster(data, "roster.csv")

    assert [row.name for row in result.rows] == rare_names


def test_utf8_bom_does_not_stick_to_first_header() -> None:
    data = csv_bytes([HEADER_ZH, person("张三")], encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")

    result = parse_roster(data, "roster.csv")

    assert result.warnings == []
    assert [row.name for row in result.rows] == ["张三"]


@pytest.mark.parametrize("data", [b"", b"  \r\n", b"\xef\xbb\xbf"])
def test_empty_file_is_a_file_level_error(data: bytes) -> None:
    result = parse_roster(data, "空.csv")

    assert not result.ok
    assert [(e.row, e.message) for e in result.errors] == [
        (FILE_LEVEL, "The file {filename} is empty.")
    ]
    assert result.errors[0].params == {"filename": "空.csv"}


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00",
        bytes(range(128, 256)) * 4,
    ],
)
def test_binary_file_renamed_csv_is_a_file_level_error(data: bytes) -> None:
    result = parse_roster(data, "roster.csv")

    assert result.rows == []
    assert [(e.row, e.params) for e in result.errors] == [(0, {"filename": "roster.csv"})]
    assert result.errors[0].message.startswith("The file {filename} is not a CSV text file")


@pytest.mark.parametrize(
    ("filename", "message"),
    [
        ("roster.pdf", "The file {filename} is not a roster file; send a .csv or .xlsx file."),
        ("roster", "The file {filename} is not a roster file; send a .csv or .xlsx file."),
        (
            "roster.xls",
            "The old Excel format .xls is not supported; save the file as .xlsx or .csv.",
        ),
    ],
)
def test_unsupported_file_types(filename: str, message: str) -> None:
    result = parse_roster(roster_csv(person()), filename)

    assert [(e.row, e.message) for e in result.errors] == [(0, message)]


def test_csv_renamed_xlsx_is_not_a_workbook() -> None:
    result = parse_roster(roster_csv(person()), "roster.xlsx")

    assert [(e.row, e.params) for e in result.errors] == [(0, {"filename": "roster.xlsx"})]
    assert "not a readable XLSX workbook" in result.errors[0].message


def test_missing_required_columns_are_named() -> None:
    data = csv_bytes([["姓名", "手机"], ["张三", "13812345678"]])

    result = parse_roster(data, "roster.csv")

    assert [(e.row, e.message) for e in result.errors] == [
        (0, "The header row lacks the required columns {columns}.")
    ]
    assert result.errors[0].params == {"columns": "代表团 (delegation), 层级 (level), 届次 (term)"}


def test_two_columns_with_the_same_meaning_are_refused() -> None:
    data = csv_bytes([[*HEADER_ZH, "电话"], [*person(), "13812345678"]])

    result = parse_roster(data, "roster.csv")

    assert [e.params for e in result.errors] == [{"first": "手机", "second": "电话"}]


def test_unknown_columns_are_ignored_with_a_warning() -> None:
    data = csv_bytes([[*HEADER_ZH, "备注", "身份证号"], [*person(), "老代表", "410100"]])

    result = parse_roster(data, "roster.csv")

    assert result.ok
    assert [row.name for row in result.rows] == ["张三"]
    assert [(w.row, w.params) for w in result.warnings] == [
        (0, {"column": "备注"}),
        (0, {"column": "身份证号"}),
    ]


def test_title_row_above_the_header_is_skipped() -> None:
    data = csv_bytes([["洛阳市第十四届人大代表名册"], HEADER_ZH, person("张三")])

    result = parse_roster(data, "roster.csv")

    assert [(row.row_number, row.name) for row in result.rows] == [(3, "张三")]
    assert [(w.message, w.params) for w in result.warnings] == [
        ("The rows above row {row} were taken as a title and skipped.", {"row": 2})
    ]


def test_header_without_rows_is_an_error() -> None:
    result = parse_roster(roster_csv(), "roster.csv")

    assert [(e.row, e.message) for e in result.errors] == [
        (0, "The file has a header row but no data rows.")
    ]


def test_tab_separated_file_is_read() -> None:
    text = "\t".join(HEADER_ZH) + "\n" + "\t".join(person("张三", phone="13812345678")) + "\n"

    result = parse_roster(text.encode(), "roster.csv")

    assert [(row.name, row.phone) for row in result.rows] == [("张三", "13812345678")]


@pytest.mark.parametrize("extra_blank_lines", [0, 10])
def test_more_rows_than_the_limit_is_refused(extra_blank_lines: int) -> None:
    # One data row over the limit, with or without trailing blank lines.
    line = ",".join(person()) + "\n"
    data = (",".join(HEADER_ZH) + "\n" + line * 50_001 + "\n" * extra_blank_lines).encode()

    result = parse_roster(data, "roster.csv")

    assert result.rows == []
    assert [(e.row, e.params) for e in result.errors] == [(0, {"limit": 50_000})]


def test_file_larger_than_the_limit_is_refused() -> None:
    result = parse_roster(b"a" * (20 * 1024 * 1024 + 1), "roster.csv")

    assert [(e.row, e.params) for e in result.errors] == [(0, {"limit": 20})]


def test_a_csv_cell_longer_than_the_limit_is_a_bad_cell() -> None:
    data = roster_csv(person("张三", delegation="代" * 1_001), person("李四"))

    result = parse_roster(data, "roster.csv")

    assert [(e.row, e.message, e.params) for e in result.errors] == [
        (
            2,
            "The cell holds more than {limit} characters; a roster cell is far shorter.",
            {"limit": 1_000, "column": "代表团"},
        )
    ]
    assert [row.name for row in result.rows] == ["李四"]
