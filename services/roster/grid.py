"""The sheet as read from a file: numbered rows of raw cell values, before any validation."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from services.i18n_marks import N_
from services.roster.errors import FileProblem
from services.roster.models import Params, RowWarning

# A bot may download files of at most 20 MB from Telegram; a larger roster could not arrive by chat.
MAX_FILE_BYTES = 20 * 1024 * 1024
# Far beyond one congress's roster (a provincial congress has about a thousand representatives),
# and it bounds the work and memory of a single import.
MAX_DATA_ROWS = 50_000
# What a reader holds in memory: the data rows plus titles, header and the blank or formatted-only
# rows Excel leaves below the data. The exact data-row limit is checked once the header is known.
MAX_SHEET_ROWS = 2 * MAX_DATA_ROWS


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


def too_many_rows() -> FileProblem:
    return FileProblem(
        N_("The file has more than {limit} rows; split the roster into smaller files."),
        {"limit": MAX_DATA_ROWS},
    )
