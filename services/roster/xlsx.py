"""Reads the roster sheet of an XLSX workbook.

The workbook is loaded in normal mode because read-only mode does not report merged cells, and with
``data_only=True`` so that formulas give the result Excel saved. A formula saved without a result
(files written by scripts, or never opened in Excel) would read as an empty cell and silently lose
data, so when the archive holds formulas a second, read-only pass finds them and marks the cell bad.
"""

import io
import re
import zipfile
from datetime import date
from typing import Any

import openpyxl

from services.i18n_marks import N_
from services.roster.errors import FileProblem
from services.roster.grid import MAX_SHEET_ROWS, BadCell, CellValue, Sheet, too_many_rows
from services.roster.models import FILE_LEVEL, RowWarning

# A 20 MB upload that inflates beyond this is a zip bomb, not a roster.
_MAX_UNPACKED_BYTES = 256 * 1024 * 1024
# A roster has about a dozen columns; a stray formatted cell far to the right must not make the
# reader build millions of empty cells.
_MAX_COLUMNS = 200
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")


def read_xlsx(data: bytes, filename: str) -> Sheet:
    has_formulas = _inspect_archive(data, filename)
    workbook = _load(data, filename, read_only=False)
    sheet = _roster_sheet(workbook, filename)
    if sheet.max_row > MAX_SHEET_ROWS:
        raise too_many_rows()
    width = min(sheet.max_column, _MAX_COLUMNS)
    grid = [
        [_cell_value(cell) for cell in row]
        for row in sheet.iter_rows(min_row=1, min_col=1, max_col=width)
    ]
    _fill_merged_down(sheet, grid)
    if has_formulas:
        _mark_unsaved_formulas(data, filename, sheet.title, grid)
    warnings: list[RowWarning] = []
    if len(workbook.worksheets) > 1:
        warnings.append(
            RowWarning(
                FILE_LEVEL,
                N_("The workbook has {count} sheets; only the sheet {sheet} was read."),
                {"count": len(workbook.worksheets), "sheet": sheet.title},
            )
        )
    return Sheet(rows=list(enumerate(grid, start=1)), warnings=warnings)


def _inspect_archive(data: bytes, filename: str) -> bool:
    """Check the archive is a sane XLSX and tell whether any worksheet contains formulas."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(member.file_size for member in members) > _MAX_UNPACKED_BYTES:
                raise _not_a_workbook(filename)
            sheets = [m.filename for m in members if m.filename.startswith("xl/worksheets/")]
            return any(_FORMULA_TAG.search(archive.read(name)) for name in sheets)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _not_a_workbook(filename) from exc


def _load(data: bytes, filename: str, *, read_only: bool) -> Any:
    try:
        return openpyxl.load_workbook(
            io.BytesIO(data), read_only=read_only, data_only=not read_only
        )
    # A damaged or foreign archive makes openpyxl fail with KeyError, ValueError, TypeError or an
    # XML parse error depending on which part is broken; all of them mean the same to staff.
    except Exception as exc:
        raise _not_a_workbook(filename) from exc


def _roster_sheet(workbook: Any, filename: str) -> Any:
    # The active sheet is the one staff saw last; a chart sheet there has no cells to read.
    active = workbook.active
    if active in workbook.worksheets:
        return active
    if not workbook.worksheets:
        raise _not_a_workbook(filename)
    return workbook.worksheets[0]


def _cell_value(cell: Any) -> CellValue:
    value = cell.value
    if cell.data_type == "e":
        return BadCell(
            N_("The cell holds the Excel error {value}; correct it in the file."),
            {"value": str(value)},
        )
    if value is None or isinstance(value, str | int | float | date):
        return value
    # Times and durations have no place in a roster; keep their text so the reason can show it.
    return str(value)


def _fill_merged_down(sheet: Any, grid: list[list[CellValue]]) -> None:
    """Give every row of a vertically merged cell the value shown in it.

    Rosters often merge the delegation or group cell over all its members. Only the first column of
    a merged block is filled: a header merged across columns keeps a single title, so it maps once.
    """
    for merged in sheet.merged_cells.ranges:
        first_col, first_row, _, last_row = merged.bounds
        column = first_col - 1
        if first_row > len(grid) or column >= len(grid[first_row - 1]):
            continue
        value = grid[first_row - 1][column]
        for index in range(first_row, min(last_row, len(grid))):
            grid[index][column] = value


def _mark_unsaved_formulas(
    data: bytes, filename: str, title: str, grid: list[list[CellValue]]
) -> None:
    workbook = _load(data, filename, read_only=True)
    try:
        for row in workbook[title].iter_rows(min_row=1, max_row=len(grid)):
            for cell in row:
                if getattr(cell, "data_type", None) != "f":
                    continue
                index, column = cell.row - 1, cell.column - 1
                if column < len(grid[index]) and grid[index][column] is None:
                    grid[index][column] = BadCell(
                        N_(
                            "The cell {cell} holds a formula whose result was not saved; "
                            "open the file in Excel, save it and send it again."
                        ),
                        {"cell": cell.coordinate},
                    )
    finally:
        workbook.close()


def _not_a_workbook(filename: str) -> FileProblem:
    return FileProblem(
        N_("The file {filename} is not a readable XLSX workbook; save it again from Excel."),
        {"filename": filename},
    )
