"""Builders for roster files: CSV text in a chosen encoding, XLSX workbooks made in memory."""

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence

import openpyxl

HEADER_ZH = [
    "姓名",
    "代表证号",
    "层级",
    "届次",
    "代表团",
    "代表小组",
    "组长",
    "联络站",
    "手机",
    "角色",
]
HEADER_EN = [
    "Name",
    "ID",
    "Level",
    "Term",
    "Delegation",
    "Group",
    "Leader",
    "Station",
    "Phone",
    "Role",
]


def person(
    name: str = "张三",
    *,
    external_id: str = "",
    level: str = "省",
    term: str = "第十四届",
    delegation: str = "驻洛阳代表团",
    group: str = "",
    leader: str = "",
    station: str = "",
    phone: str = "",
    role: str = "",
) -> list[str]:
    """One row in the column order of HEADER_ZH / HEADER_EN."""
    return [name, external_id, level, term, delegation, group, leader, station, phone, role]


def csv_bytes(rows: Iterable[Sequence[object]], *, encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def roster_csv(*rows: Sequence[object], header: Sequence[str] = HEADER_ZH) -> bytes:
    return csv_bytes([header, *rows])


def xlsx_bytes(
    rows: Iterable[Sequence[object]],
    *,
    merges: Sequence[str] = (),
    extra_sheets: Sequence[str] = (),
) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "名册"
    for row in rows:
        sheet.append(list(row))
    for cell_range in merges:
        sheet.merge_cells(cell_range)
    for title in extra_sheets:
        workbook.create_sheet(title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cached_result(data: bytes, coordinate: str, result: str) -> bytes:
    """Store a string result for a formula cell, as Excel does when it saves a workbook.

    openpyxl writes formulas without results, exactly like a file produced by a script: as
    ``<v/>``, or as ``<v></v>`` when it writes through lxml (installed with python-docx).
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'<c r="{coordinate}">(<f>.*?</f>)(?:<v\s*/>|<v></v>)'.encode()
                replacement = rf'<c r="{coordinate}" t="str">\1<v>{result}</v>'.encode()
                content, count = re.subn(pattern, replacement, content)
                assert count == 1
            target.writestr(item, content)
    return target_buffer.getvalue()
