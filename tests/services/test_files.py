from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from services.files import neutralise, write_csv, write_xlsx

DANGEROUS = ["=1+1", "+86 138", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_formula_starts_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value


def test_safe_values_pass_through() -> None:
    assert neutralise("王建国") == "王建国"
    assert neutralise(-5) == -5
    assert neutralise(None) is None


def test_xlsx_cells_are_text_not_formulas() -> None:
    data = write_xlsx(["姓名", "备注"], [["王建国", '=HYPERLINK("http://x")'], ["李", 3]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A2"].value == "王建国"
    assert sheet["B2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["B2"].data_type == "s"
    assert sheet["B3"].value == 3


def test_csv_has_bom_and_neutralised_cells() -> None:
    data = write_csv(["姓名", "备注"], [["王", "@cmd"], ["李", None]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["姓名", "备注"], ["王", "'@cmd"], ["李", ""]]


def test_control_characters_that_xlsx_cannot_hold_are_dropped_and_word_breaks_kept() -> None:
    data = write_xlsx(["summary"], [["Met the residents\x0bof Xigong\x01 district\x0cend"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A2"].value == "Met the residents\nof Xigong district\nend"


def test_a_formula_behind_a_control_character_is_still_neutralised() -> None:
    data = write_xlsx(["summary"], [['\x01=HYPERLINK("http://evil.example","open")']])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil.example","open")'
