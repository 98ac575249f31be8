"""Reads the roster sheet of an XLSX workbook, streaming its rows and stopping at the limits.

The archive is inflated once with a cap first (``services.roster.archive``). The sheet is then
streamed row by row from its XML (openpyxl's read-only parser), with ``data_only=True`` so that
formulas give the result Excel saved; the row limit is checked as rows arrive, so a sheet with a
million rows costs no more than one at the limit. A formula saved without a result (files written
by scripts, or never opened in Excel) would read as an empty cell and silently lose data, so when
the archive holds formulas a second streaming pass finds them and marks the cell bad.

Each row comes with its number and only the cells present in the XML. ReadOnlyWorksheet.iter_rows
would instead pad every row to the widest column and yield an empty row for each missing row
number, which one hostile row number turns into billions.
"""

from datetime import date
from typing import Any

from services.i18n_marks import N_
from services.roster.archive import inspect_archive, not_a_workbook
from services.roster.book import Book, broken_file_is_not_a_workbook, open_book
from services.roster.grid import BadCell, CellValue, Sheet
from services.roster.models import FILE_LEVEL, RowWarning
from services.roster.sparse import SparseGrid


def read_xlsx(data: bytes, filename: str) -> Sheet:
    facts = inspect_archive(data, filename)
    grid = SparseGrid(filename)
    with open_book(data, filename) as book:
        if not book.worksheets:
            raise not_a_workbook(filename)
        # The active sheet is the one staff saw last; a chart sheet there has no cells to read.
        title, part = book.active or book.worksheets[0]
        merges = _read_values(book, part, grid, filename)
        if facts.has_formulas:
            _mark_unsaved_formulas(book, part, grid, filename)
    grid.fill_merged_down(merges)
    warnings: list[RowWarning] = []
    if len(book.worksheets) > 1:
        warnings.append(
            RowWarning(
                FILE_LEVEL,
                N_("The workbook has {count} sheets; only the sheet {sheet} was read."),
                {"count": len(book.worksheets), "sheet": title},
            )
        )
    return Sheet(rows=grid.rows(), warnings=warnings)


def _read_values(book: Book, part: str, grid: SparseGrid, filename: str) -> list[str]:
    """Put the sheet's values into the grid and return its merged ranges (such as "E2:E9")."""
    with broken_file_is_not_a_workbook(filename), book.archive.open(part) as source:
        parser = book.parser(source, data_only=True)
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


def _mark_unsaved_formulas(book: Book, part: str, grid: SparseGrid, filename: str) -> None:
    from openpyxl.utils import get_column_letter

    with broken_file_is_not_a_workbook(filename), book.archive.open(part) as source:
        for number, cells in book.parser(source, data_only=False).parse():
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
