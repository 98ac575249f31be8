"""Cell normalisers: phones, terms, dates, levels, roles and leader marks."""

from datetime import date, datetime

import pytest

from services.roster import Level, Role, parse_roster
from services.roster.cells import leader, level, phone, role
from services.roster.errors import CellProblem
from services.roster.grid import CellValue
from services.roster.terms import term_number, term_range, to_date
from tests.services.roster.builders import HEADER_ZH, csv_bytes, person, roster_csv

LOST_DIGITS = (
    "Phone number {value} lost digits in Excel; format the phone column as text and export again."
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("13812345678.0", "13812345678"),
        (13812345678.0, "13812345678"),
        (13812345678, "13812345678"),
        ("1.3812345678E+10", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("0371-12345678", "0371-12345678"),
        ("010-1234567", "010-1234567"),
        ("", None),
        (None, None),
    ],
)
def test_phone_numbers_are_recovered_when_exact(raw: CellValue, expected: str | None) -> None:
    assert phone(raw) == expected


@pytest.mark.parametrize("raw", ["1.38E+10", "1.38123E+10", "1E+10"])
def test_phone_in_scientific_form_that_lost_digits_is_rejected(raw: str) -> None:
    with pytest.raises(CellProblem) as caught:
        phone(raw)

    assert caught.value.message == LOST_DIGITS
    assert caught.value.params == {"value": raw}


@pytest.mark.parametrize(
    "raw", ["1381234567", "23812345678", "12345", "0371-1234", "138/139", "abc"]
)
def test_invalid_phone_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(CellProblem) as caught:
        phone(raw)

    assert caught.value.params == {"value": raw}
    assert caught.value.message.startswith("Phone number {value} is neither a mobile number")


def test_phone_reasons_reach_the_row_report() -> None:
    data = roster_csv(person("甲", phone="1.38E+10"), person("乙", phone="13812345678.0"))

    result = parse_roster(data, "roster.csv")

    assert [(row.name, row.phone) for row in result.rows] == [("乙", "13812345678")]
    assert [(e.row, e.message, e.params) for e in result.errors] == [
        (2, LOST_DIGITS, {"value": "1.38E+10", "column": "手机"})
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("第十四届", 14),
        ("十四届", 14),
        ("14", 14),
        ("14届", 14),
        ("第14届", 14),
        ("第 14 届", 14),
        ("第１４届", 14),
        (14, 14),
        (14.0, 14),
        ("十", 10),
        ("第二十届", 20),
        ("二十三", 23),
        ("九十九", 99),
        ("一百零五", 105),
        ("第一届", 1),
    ],
)
def test_term_spellings(raw: CellValue, expected: int) -> None:
    assert term_number(raw) == expected


@pytest.mark.parametrize("raw", ["第十四次", "四四", "十十", "0", "第零届", "14.5", "fourteen"])
def test_wrong_terms_are_rejected(raw: CellValue) -> None:
    with pytest.raises(CellProblem) as caught:
        term_number(raw)

    assert caught.value.params == {"value": raw}


def test_term_spellings_in_one_file_are_the_same_term() -> None:
    spellings = ["第十四届", "十四届", "14", "14届", "第14届"]
    data = roster_csv(*(person(f"代表{i}", term=term) for i, term in enumerate(spellings)))

    assert {row.term for row in parse_roster(data, "roster.csv").rows} == {14}


@pytest.mark.parametrize(
    "raw",
    [
        "2023-01-01",
        "2023/1/1",
        "2023.1.1",
        "2023年1月1日",
        "2023 年 1 月 1 日",
        "20230101",
        "2023-01-01 00:00:00",
        "44927",
        44927,
        44927.0,
        20230101,
        datetime(2023, 1, 1, 0, 0),
        date(2023, 1, 1),
    ],
)
def test_date_forms(raw: CellValue) -> None:
    assert to_date(raw) == date(2023, 1, 1)


@pytest.mark.parametrize("raw", ["2023-02-30", "2023-13-01", "明年", "01/01/2023", "2203-01-01", 0])
def test_wrong_dates_are_rejected(raw: CellValue) -> None:
    with pytest.raises(CellProblem) as caught:
        to_date(raw)

    assert caught.value.params == {"value": str(raw)}


@pytest.mark.parametrize(
    "raw",
    [
        "2023-01-01至2027-12-31",
        "2023-01-01到2027-12-31",
        "2023-01-01—2027-12-31",
        "2023.1.1——2027.12.31",
        "2023-01-01-2027-12-31",
        "2023/1/1 ~ 2027/12/31",
        "2023年1月1日～2027年12月31日",
        "20230101-20271231",
    ],
)
def test_term_date_ranges(raw: str) -> None:
    assert term_range(raw) == (date(2023, 1, 1), date(2027, 12, 31))


def test_term_dates_in_one_cell_or_two_columns() -> None:
    header = [*HEADER_ZH, "任期起止", "任期开始", "任期结束"]
    data = csv_bytes(
        [
            header,
            [*person("甲"), "2023年1月1日至2027年12月31日", "", ""],
            [*person("乙"), "", "2023/1/1", "20271231"],
            [*person("丙"), "", "", ""],
            [*person("丁"), "2023-01-01", "", ""],
        ]
    )

    result = parse_roster(data, "roster.csv")

    assert [(row.name, row.term_start, row.term_end) for row in result.rows] == [
        ("甲", date(2023, 1, 1), date(2027, 12, 31)),
        ("乙", date(2023, 1, 1), date(2027, 12, 31)),
        ("丙", None, None),
    ]
    assert [(e.row, e.params) for e in result.errors] == [
        (5, {"value": "2023-01-01", "column": "任期起止"})
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("全国", Level.national),
        ("National", Level.national),
        ("省", Level.province),
        ("省级", Level.province),
        ("province", Level.province),
        ("市", Level.city),
        ("设区的市", Level.city),
        ("市级", Level.city),
        ("县", Level.county),
        ("区", Level.county),
        ("县区", Level.county),
        ("县级", Level.county),
        ("乡", Level.township),
        ("乡镇", Level.township),
        (" Township ", Level.township),
    ],
)
def test_levels(raw: str, expected: Level) -> None:
    assert level(raw) == expected
    assert level(raw) == expected.value


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", Role.REPRESENTATIVE),
        (None, Role.REPRESENTATIVE),
        ("代表", Role.REPRESENTATIVE),
        ("Representative", Role.REPRESENTATIVE),
        ("工作人员", Role.STAFF),
        ("staff", Role.STAFF),
        ("管理员", Role.ADMIN),
        ("ADMIN", Role.ADMIN),
    ],
)
def test_roles(raw: CellValue, expected: Role) -> None:
    assert role(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        *((mark, True) for mark in ["是", "Y", "yes", "1", "TRUE", "√", 1, 1.0, True]),
        *((mark, False) for mark in ["否", "n", "No", "0", "false", "", None, 0, False]),
    ],
)
def test_leader_marks(raw: CellValue, expected: bool) -> None:
    assert leader(raw) is expected
