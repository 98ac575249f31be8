"""The whole import report as a CSV file, for when the message can show only part of it."""

from __future__ import annotations

import csv
import io

from aiogram.utils.i18n import gettext as _

from services.roster.models import FILE_LEVEL, RowError, RowWarning
from services.roster.report import ImportReport
from services.roster.wording import changes_text, problem_reason

# Spreadsheets run a cell starting with one of these as a formula, so such a cell from a file is
# written with a leading apostrophe, which they show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def report_csv(report: ImportReport) -> bytes:
    """Every error, warning, addition, change and missing name, one per line, in UTF-8 with a
    byte order mark so that Excel reads the Chinese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_("row"), _("kind"), _("name"), _("delegation"), _("details")])

    def problems(kind: str, items: list[RowError] | list[RowWarning]) -> None:
        for item in items:
            row = "" if item.row == FILE_LEVEL else item.row
            writer.writerow([_cell(row), kind, "", "", _cell(problem_reason(item))])

    problems(_("error"), report.errors)
    problems(_("warning"), report.warnings)
    for name in report.new_delegations:
        writer.writerow(["", _("new delegation"), "", _cell(name), ""])
    for change in report.changes:
        kind = _("added") if change.created else _("changed")
        cells = [change.row, kind, change.name, change.delegation, changes_text(change)]
        writer.writerow([_cell(value) for value in cells])
    for name in report.missing:
        writer.writerow(["", _("not in the file"), _cell(name), "", ""])
    return buffer.getvalue().encode("utf-8-sig")
