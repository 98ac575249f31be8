"""The rows of a streamed sheet that hold content, kept within the limits as they arrive.

Blank rows are never stored, so trailing formatted rows cost nothing, and the row limit is
enforced on the rows with content while the sheet is still being read.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from services.i18n_marks import N_
from services.roster.archive import not_a_workbook
from services.roster.errors import FileProblem
from services.roster.grid import CellValue, cell_too_long, too_many_rows
from services.roster.limits import (
    EXCEL_MAX_ROW,
    HEADER_SEARCH,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_DATA_ROWS,
)

# Titles and the header come before the data rows; the exact data-row count is checked by the
# parser once it knows which row is the header, with the same reason.
_MAX_ROWS_KEPT = MAX_DATA_ROWS + HEADER_SEARCH
# Merged ranges never overlap in a real workbook, so filling them touches each stored cell once
# at most; overlapping ranges written to multiply the work are refused at this bound.
_MAX_MERGE_FILLS = _MAX_ROWS_KEPT * 20


class SparseGrid:
    def __init__(self, filename: str) -> None:
        self._filename = filename
        self._rows: dict[int, list[CellValue]] = {}

    def put_row(self, number: int, cells: Sequence[tuple[int, CellValue]]) -> None:
        """Store the cells (1-based column, value) of a row; a row of empty cells is not stored."""
        if not 1 <= number <= EXCEL_MAX_ROW:
            raise not_a_workbook(self._filename)
        row = self._rows.get(number)
        for column, raw in cells:
            value = _clean(raw)
            if value is None:
                continue
            if column > MAX_COLUMNS:
                raise FileProblem(
                    N_(
                        "The sheet has content beyond column {limit}; a roster has far fewer "
                        "columns. Delete the columns that are not part of the roster."
                    ),
                    {"limit": MAX_COLUMNS},
                )
            if row is None:
                if len(self._rows) >= _MAX_ROWS_KEPT:
                    raise too_many_rows()
                row = self._rows[number] = []
            if column > len(row):
                row.extend([None] * (column - len(row)))
            row[column - 1] = value

    def get(self, number: int, column: int) -> CellValue:
        row = self._rows.get(number)
        return row[column - 1] if row is not None and column <= len(row) else None

    def fill_merged_down(self, ranges: Sequence[str]) -> None:
        """Give every row of a vertically merged cell the value shown in it.

        Rosters often merge the delegation or group cell over all its members. Only the first
        column of a merged block is filled: a header merged across columns keeps a single title,
        so it maps once. Blank rows inside a block stay blank.
        """
        from openpyxl.utils.cell import range_boundaries

        numbers = sorted(self._rows)
        fills = 0
        for cell_range in ranges:
            try:
                first_col, first_row, _, last_row = range_boundaries(cell_range)
            except (TypeError, ValueError):
                continue
            # Whole-column or whole-row references ("A:A") leave a bound open: not a merged cell.
            if first_col is None or first_row is None or last_row is None:
                continue
            value = self.get(first_row, first_col)
            if value is None:
                continue
            start, end = bisect_left(numbers, first_row + 1), bisect_right(numbers, last_row)
            fills += end - start
            if fills > _MAX_MERGE_FILLS:
                raise not_a_workbook(self._filename)
            for number in numbers[start:end]:
                self.put_row(number, [(first_col, value)])

    def rows(self) -> list[tuple[int, list[CellValue]]]:
        return [(number, self._rows[number]) for number in sorted(self._rows)]


def _clean(value: CellValue) -> CellValue:
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            return cell_too_long()
        if not value.strip():
            return None
    return value
