"""What a roster import did (or would do), and its text in the reader's language.

The text is bounded whatever the file holds: at most ``LINE_LIMIT`` item lines, each cut to
``LINE_WIDTH`` characters, all within ``TEXT_BUDGET`` characters, so a preview is one Telegram
message (a 3 MB file of bad rows once made 643). What is left out is in the CSV file built by
``services.roster.export``, which the chat attaches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from aiogram.utils.i18n import gettext as _

from services.roster.changes import RowChange
from services.roster.models import RowError, RowWarning
from services.roster.wording import change_line, problem_line

# Enough to show what kind of mistakes a file has; the rest are usually the same mistakes again.
LINE_LIMIT = 20
LINE_WIDTH = 200
# Leaves room in Telegram's 4,096 characters for a title and a line about the attached file.
TEXT_BUDGET = 3_600
# Room kept for the heading and the "… and N more" line of each section not yet written.
_SECTION_ROOM = 100


@dataclass(frozen=True)
class ImportReport:
    """Counts are per valid row: a mandate for a representative row, a role for a staff row."""

    created: int
    updated: int
    unchanged: int
    errors: list[RowError]
    warnings: list[RowWarning]
    # Names of active representatives of the file's delegations whom the file does not mention.
    missing: list[str]
    # False for a dry run, when rows with errors blocked the import, or when no row was valid.
    applied: bool
    dry_run: bool
    skip_bad: bool
    people_created: int
    new_delegations: list[str]
    new_groups: int
    new_stations: int
    # Who is added and what changes for whom, one entry per created or updated row.
    changes: list[RowChange]

    @property
    def blocked(self) -> bool:
        """Rows with errors stop the import as a whole (unless the valid rows were asked for)."""
        return bool(self.errors) and not self.skip_bad

    @property
    def valid_rows(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def added(self) -> list[RowChange]:
        return [change for change in self.changes if change.created]

    @property
    def changed(self) -> list[RowChange]:
        return [change for change in self.changes if not change.created]


@dataclass(frozen=True)
class ReportText:
    lines: list[str]
    # False when items were left out or cut short: the whole list is then worth attaching.
    complete: bool


@dataclass(frozen=True)
class _Section:
    heading: str | None
    items: Sequence[Any]
    line: Callable[[Any], str]


def clip(text: str, width: int = LINE_WIDTH) -> str:
    """At most ``width`` characters, ending in … when cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def _length(text: str) -> int:
    """Telegram counts UTF-16 code units: a character outside the BMP (an emoji) counts twice."""
    return len(text.encode("utf-16-le")) // 2


def _verbatim(value: str) -> str:
    return value


def render_report(
    report: ImportReport, *, escape: Callable[[str], str] = _verbatim, limit: int = LINE_LIMIT
) -> list[str]:
    return report_text(report, escape=escape, limit=limit).lines


def report_text(
    report: ImportReport,
    *,
    escape: Callable[[str], str] = _verbatim,
    limit: int = LINE_LIMIT,
    budget: int = TEXT_BUDGET,
) -> ReportText:
    """The report as text lines in the current locale, bounded as the module says.

    ``escape`` is applied to each finished line (the chat passes an HTML escape; the command line
    prints plain text and keeps the default). Budgets count the characters a reader sees.
    """
    if report.applied:
        counts = _("New: {created}. Updated: {updated}. Unchanged: {unchanged}.")
    else:
        counts = _("Would be new: {created}. Would be updated: {updated}. Unchanged: {unchanged}.")
    lines = [
        counts.format(created=report.created, updated=report.updated, unchanged=report.unchanged)
    ]
    if report.new_groups:
        lines.append(_("New groups: {count}").format(count=report.new_groups))
    if report.new_stations:
        lines.append(_("New stations: {count}").format(count=report.new_stations))
    new_delegation = _("New delegation: {name}")
    sections = [
        _Section(None, report.new_delegations, lambda name: new_delegation.format(name=name)),
        _Section(_("Errors: {count}"), report.errors, problem_line),
        _Section(_("Warnings: {count}"), report.warnings, problem_line),
        _Section(_("Added: {count}"), report.added, change_line),
        _Section(_("Changed: {count}"), report.changed, change_line),
        _Section(_("Not in the file but still active: {count}"), report.missing, "• {}".format),
    ]
    complete = _add_sections(lines, [s for s in sections if s.items], limit, budget)
    return ReportText([escape(line) for line in lines], complete)


def _add_sections(lines: list[str], sections: list[_Section], limit: int, budget: int) -> bool:
    """Append each section's heading and as many items as the limits allow; True if all fit."""
    used = sum(_length(line) + 1 for line in lines)
    shown_total, complete = 0, True
    for position, section in enumerate(sections):
        if section.heading is not None:
            lines.append(section.heading.format(count=len(section.items)))
            used += _length(lines[-1]) + 1
        room = budget - _SECTION_ROOM * (len(sections) - position)
        shown = 0
        # Only the lines shown are rendered: a 50,000-row file may bring as many reasons.
        for item in section.items:
            if shown_total >= limit:
                break
            full = section.line(item)
            line = clip(full)
            if used + _length(line) + 1 > room:
                break
            complete = complete and line == full
            lines.append(line)
            used += _length(line) + 1
            shown, shown_total = shown + 1, shown_total + 1
        if shown < len(section.items):
            complete = False
            lines.append(_("… and {count} more").format(count=len(section.items) - shown))
            used += _length(lines[-1]) + 1
    return complete
