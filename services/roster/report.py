"""What a roster import did (or would do), and its text in the reader's language."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aiogram.utils.i18n import gettext as _

from services.roster.models import FILE_LEVEL, RowError, RowWarning

# Enough to show what kind of mistakes a file has; the rest are usually the same mistakes again.
LINE_LIMIT = 20


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

    @property
    def blocked(self) -> bool:
        """Rows with errors stop the import as a whole (unless the valid rows were asked for)."""
        return bool(self.errors) and not self.skip_bad

    @property
    def valid_rows(self) -> int:
        return self.created + self.updated + self.unchanged


def _verbatim(value: str) -> str:
    return value


def render_report(
    report: ImportReport,
    *,
    escape: Callable[[str], str] = _verbatim,
    limit: int = LINE_LIMIT,
) -> list[str]:
    """The report as text lines in the current locale, each list cut after ``limit`` lines.

    ``escape`` is applied to every value that came from the file (names, cells): the chat passes
    an HTML escape, the command line prints plain text and keeps the default.
    """
    if report.applied:
        counts = _("New: {created}. Updated: {updated}. Unchanged: {unchanged}.")
    else:
        counts = _("Would be new: {created}. Would be updated: {updated}. Unchanged: {unchanged}.")
    lines = [
        counts.format(created=report.created, updated=report.updated, unchanged=report.unchanged)
    ]
    lines += [_("New delegation: {name}").format(name=escape(n)) for n in report.new_delegations]
    if report.new_groups:
        lines.append(_("New groups: {count}").format(count=report.new_groups))
    if report.new_stations:
        lines.append(_("New stations: {count}").format(count=report.new_stations))

    def problem(item: RowError | RowWarning) -> str:
        params = {k: escape(v) if isinstance(v, str) else v for k, v in item.params.items()}
        reason = _(item.message).format(**params)
        if item.row == FILE_LEVEL:
            return reason
        return _("Row {row}: {reason}").format(row=item.row, reason=reason)

    # Only the lines shown are rendered: a 50,000-row file may bring as many reasons.
    for title, total, shown in (
        (_("Errors: {count}"), len(report.errors), [problem(e) for e in report.errors[:limit]]),
        (
            _("Warnings: {count}"),
            len(report.warnings),
            [problem(w) for w in report.warnings[:limit]],
        ),
        (
            _("Not in the file but still active: {count}"),
            len(report.missing),
            [f"• {escape(name)}" for name in report.missing[:limit]],
        ),
    ):
        if total:
            lines.append(title.format(count=total))
            lines.extend(shown)
        if total > limit:
            lines.append(_("… and {count} more").format(count=total - limit))
    return lines
