"""``parse_roster``: from uploaded bytes to valid rows, row errors and warnings, without raising.

The import is all or nothing, so every problem in the file is reported at once: staff fix the file
in one pass instead of resending it once per error.
"""

from collections.abc import Sequence

from services.i18n_marks import N_
from services.roster.errors import FileProblem
from services.roster.grid import is_blank, too_many_rows
from services.roster.headers import find_header
from services.roster.limits import MAX_DATA_ROWS
from services.roster.models import FILE_LEVEL, RosterParseResult, RosterRow, RowError, RowWarning
from services.roster.reader import read_sheet
from services.roster.validate import validate_row


def parse_roster(data: bytes, filename: str) -> RosterParseResult:
    try:
        sheet = read_sheet(data, filename)
        header, header_warnings = find_header(sheet.rows)
        data_rows = [
            (number, values)
            for number, values in sheet.rows
            if number > header.row_number and not is_blank(values)
        ]
        if len(data_rows) > MAX_DATA_ROWS:
            raise too_many_rows()
    except FileProblem as problem:
        return RosterParseResult([], [RowError(FILE_LEVEL, problem.message, problem.params)], [])
    warnings = [*sheet.warnings, *header_warnings]
    valid: list[RosterRow] = []
    errors: list[RowError] = []
    for number, values in data_rows:
        checked = validate_row(number, values, header)
        if isinstance(checked, RosterRow):
            valid.append(checked)
        else:
            errors.extend(checked)
    rows, duplicates = _drop_duplicates(valid)
    errors = sorted([*errors, *duplicates], key=lambda error: error.row)
    warnings.extend(_same_name_warnings(rows))
    if not rows and not errors:
        errors.append(RowError(FILE_LEVEL, N_("The file has a header row but no data rows.")))
    return RosterParseResult(rows, errors, warnings)


def _drop_duplicates(rows: Sequence[RosterRow]) -> tuple[list[RosterRow], list[RowError]]:
    first_seen: dict[tuple[str, ...], RosterRow] = {}
    kept: list[RosterRow] = []
    errors: list[RowError] = []
    for row in rows:
        first = first_seen.setdefault(row.identity_key, row)
        if first is row:
            kept.append(row)
            continue
        errors.append(
            RowError(
                row.row_number,
                N_("{name} already appears in row {first_row}; remove one of the two rows."),
                {"name": row.name, "first_row": first.row_number},
            )
        )
    return kept, errors


def _same_name_warnings(rows: Sequence[RosterRow]) -> list[RowWarning]:
    """Warn when two rows share a name but not the delegation or id: two people, or a typo?

    The same person at two levels is expected and not warned: rows with the same delegation and
    id, or with the same phone number (the importer makes those one person with two mandates).
    """
    first_by_name: dict[str, RosterRow] = {}
    warnings: list[RowWarning] = []
    for row in rows:
        first = first_by_name.setdefault(row.name, row)
        if first is row:
            continue
        same_phone = first.phone is not None and first.phone == row.phone
        if not same_phone and (first.delegation, first.external_id) != (
            row.delegation,
            row.external_id,
        ):
            warnings.append(
                RowWarning(
                    row.row_number,
                    N_(
                        "Rows {first_row} and {row} both name {name}; "
                        "check whether they are the same person."
                    ),
                    {"name": row.name, "first_row": first.row_number, "row": row.row_number},
                )
            )
    return warnings
