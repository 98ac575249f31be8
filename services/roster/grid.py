"""The sheet as read from a file: numbered rows of raw cell values, before any validation."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from services.i18n_marks import N_
from services.roster.errors import FileProblem
from services.roster.limits import MAX_CELL_CHARS, MAX_DATA_ROWS
from services.roster.models import Params, RowWarning


@dataclass(frozen=True, slots=True)
class BadCell:
    """A cell whose content cannot be trusted, e.g. a formula saved without its result."""

    message: str
    params: Params = field(default_factory=dict)


# ``datetime`` is a ``date`` and ``bool`` an ``int``: XLSX cells bring both, CSV cells only ``str``.
CellValue = str | int | float | date | BadCell | None


@dataclass(frozen=True, slots=True)
class Sheet:
    rows: Sequence[tuple[int, Sequence[CellValue]]]
    warnings: Sequence[RowWarning] = ()


def is_blank(cells: Sequence[CellValue]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells)


def cell_too_long() -> BadCell:
    return BadCell(
        N_("The cell holds more than {limit} characters; a roster cell is far shorter."),
        {"limit": MAX_CELL_CHARS},
    )


def too_many_rows() -> FileProblem:
    return FileProblem(
        N_("The file has more than {limit} rows; split the roster into smaller files."),
        {"limit": MAX_DATA_ROWS},
    )
