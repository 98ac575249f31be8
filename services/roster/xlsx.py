"""Reads the roster sheet of an XLSX workbook, streaming its rows and stopping at the limits.

The archive is inflated once with a cap first (``services.roster.archive``). The sheet is then
read in openpyxl's read-only mode, row by row from the XML, with ``data_only=True`` so that
formulas give the result Excel saved; the row limit is checked as rows arrive, so a sheet with a
million rows costs no more than one with the limit. A formula saved without a result (files
written by scripts, or never opened in Excel) would read as an empty cell and silently lose data,
so when the archive holds formulas a second streaming pass finds them and marks the cell bad.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import IO, Any

from services.i18n_marks import N_
from services.roster.archive import inspect_archive, not_a_workbook
from services.roster.errors import FileProblem
from services.roster.grid import BadCell, CellValue, Sheet
from services.roster.models import FILE_LEVEL, RowWarning
from services.roster.sparse import SparseGrid

# The rows come from openpyxl's streaming sheet parser, each with its number and only the cells
# present in the XML. ReadOnlyWorksheet.iter_rows would instead pad every row to the widest column
# and yield an empty row for each missing row number, which one hostile row number makes billions.


def read_xlsx(data: bytes, filename: str) -> Sheet:
    facts = inspect_archive(data, filename)
    workbook = _load(data, filename)
    try:
        sheet = _roster_sheet(workbook, filename)
        grid = SparseGrid(filename)
        merges = _read_values(workbook, sheet, grid, filename)
        if facts.has_formulas:
            _mark_unsaved_formulas(workbook, sheet, grid, filename)
        grid.fill_merged_down(merges)
        sheets, title = len(workbook.worksheets), sheet.title
    finally:
        workbook.close()
    warnings: list[RowWarning] = []
    if sheets > 1:
        warnings.append(
            RowWarning(
                FILE_LEVEL,
                N_("The workbook has {count} sheets; only the sheet {sheet} was read."),
                {"count": sheets, "sheet": title},
            )
        )
    return Sheet(rows=grid.rows(), warnings=warnings)


def _load(data: bytes, filename: str) -> Any:
    import io

    import openpyxl  # imported here: only the worker that parses a workbook needs it

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except MemoryError:
        raise
    # A damaged or foreign archive makes openpyxl fail with KeyError, ValueError, TypeError or an
    # XML parse error depending on which part is broken; all of them mean the same to staff.
    except Exception as exc:
        raise not_a_workbook(filename) from exc


def _roster_sheet(workbook: Any, filename: str) -> Any:
    # The active sheet is the one staff saw last; a chart sheet there has no cells to read.
    active = workbook.active
    if active in workbook.worksheets:
        return active
    if not workbook.worksheets:
        raise not_a_workbook(filename)
    return workbook.worksheets[0]


@contextmanager
def _sheet_errors(filename: str) -> Iterator[None]:
    """openpyxl's failures on a broken sheet, turned into one reason staff can act on."""
    try:
        yield
    except (FileProblem, MemoryError):
        raise
    # Broken XML, a missing part, a shared string index out of range, a row number that is not a
    # number: all mean the file must be saved again.
    except Exception as exc:
        raise not_a_workbook(filename) from exc


def _parser(workbook: Any, sheet: Any, source: IO[bytes], *, data_only: bool) -> Any:
    from openpyxl.worksheet._reader import WorkSheetParser

    # The parser and arguments ReadOnlyWorksheet itself uses (openpyxl 3.1, pinned in constraints).
    return WorkSheetParser(
        source,
        sheet._shared_strings,
        data_only=data_only,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )


def _read_values(workbook: Any, sheet: Any, grid: SparseGrid, filename: str) -> list[str]:
    """Put the sheet's values into the grid and return its merged ranges (such as "E2:E9")."""
    with _sheet_errors(filename), sheet._get_source() as source:
        parser = _parser(workbook, sheet, source, data_only=True)
        for number, cells in parser.parse():
            grid.put_row(number, [(cell["column"], _cell_value(cell)) for cell in cells])
        # Merged ranges follow the cells in the XML: they are known once every row was read.
        merged = parser.merged_cells
    return [] if merged is None else [str(cell.ref) for cell in merged.mergeCell]


def _cell_value(cell: dict[str, Any]) -> CellValue:
    value = cell["value"]
    if cell["data_type"] == "e":
        return BadCell(
            N_("The cell holds the Excel error {value}; correct it in the file."),
            {"value": str(value)[:32]},
        )
    if value is None or isinstance(value, str | int | float | date):
        return value
    # Times and durations have no place in a roster; keep their text so the reason can show it.
    return str(value)


def _mark_unsaved_formulas(workbook: Any, sheet: Any, grid: SparseGrid, filename: str) -> None:
    from openpyxl.utils import get_column_letter

    with _sheet_errors(filename), sheet._get_source() as source:
        for number, cells in _parser(workbook, sheet, source, data_only=False).parse():
            for cell in cells:
                column = cell["column"]
                if cell["data_type"] != "f" or grid.get(number, column) is not None:
                    continue
                reason = BadCell(
                    N_(
                        "The cell {cell} holds a formula whose result was not saved; "
                        "open the file in Excel, save it and send it again."
                    ),
                    {"cell": f"{get_column_letter(column)}{number}"},
                )
                grid.put_row(number, [(column, reason)])
