"""Spreadsheets going out. Every cell passes through the formula neutraliser."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

Cell = str | int | float | bool | date | datetime | None

# A cell starting with one of these is run as a formula by Excel or LibreOffice (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Cell) -> Cell:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: a header row, then the rows; ``widths`` of the first columns
    in Excel's character units (the rest keep the default)."""

    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    widths: Sequence[float] = ()


def write_xlsx(
    headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str = "Sheet1"
) -> bytes:
    return write_xlsx_sheets([Sheet(title, headers, rows)])


def write_xlsx_sheets(sheets: Sequence[Sheet]) -> bytes:
    from openpyxl import Workbook  # imported here: most commands never write a workbook
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for item in sheets:
        sheet = book.create_sheet(title=_sheet_title(item.title))
        # A write-only sheet takes column widths only before its first row.
        for index, width in enumerate(item.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([neutralise(h) for h in item.headers])
        for row in item.rows:
            sheet.append([_naive(neutralise(_legal(cell))) for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet name, and names longer than 31 characters.
    return "".join("_" if char in "[]:*?/\\" else char for char in title)[:31] or "Sheet"


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """UTF-8 with a BOM, which Excel in China needs to show Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


# Control characters the XLSX format cannot hold (openpyxl refuses the whole workbook): Word's
# line and page breaks (a summary pasted from a document) become line breaks, the rest go.
_BREAKS = str.maketrans({"\v": "\n", "\f": "\n"})
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _legal(value: Cell) -> Cell:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value.translate(_BREAKS))
    return value


def _naive(value: Cell) -> Cell:
    # Excel cannot store time zones; callers convert to local time before writing.
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)
    return value
