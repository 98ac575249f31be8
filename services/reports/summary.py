"""The report's short text: what staff read first, in the chat and on the command line."""

from __future__ import annotations

from services.reports.model import Report, UnitKind
from services.reports.wording import ReportWords

# Names (of those who logged nothing, of groups that did not meet) shown in the text; the
# workbook lists them all.
IDLE_NAMES = 20


def _names(names: list[str], w: ReportWords) -> str:
    shown = "、".join(names[:IDLE_NAMES])
    if len(names) > IDLE_NAMES:
        shown += " " + w["and_more"].format(count=len(names) - IDLE_NAMES)
    return shown


def _meetings(report: Report, w: ReportWords) -> list[str]:
    """One line of totals over the unit's groups, and the groups that did not meet (a group's
    own report: its line alone)."""
    rows = report.meetings
    if not rows:
        return []
    keys = ("held", "invited", "attending", "excused", "no_answer", "checked_in")
    total = {key: sum(getattr(row, key) for row in rows) for key in keys}
    if report.unit.kind is UnitKind.group:
        return [w["summary_group_meetings"].format(**total)]
    met = sum(1 for row in rows if row.held)
    lines = [w["summary_meetings"].format(met=met, groups=len(rows), **total)]
    idle = [row.group for row in rows if not row.held]
    if idle:
        lines.append("  " + w["summary_no_meeting"].format(names=_names(idle, w)))
    return lines


def summary_lines(report: Report, w: ReportWords) -> list[str]:
    """Plain text lines (the chat escapes them): names come from the roster."""
    unit = f"{w.unit_kind(report.unit.kind)} {report.unit.name}"
    lines = [w["heading"].format(unit=unit, period=w.period(report.period))]
    if report.empty:
        return [*lines, w["summary_nothing"]]
    lines.append(w["summary_activities"].format(count=report.activities, points=report.points))
    lines += [
        "· "
        + w["summary_type"].format(
            type=w.type_name(row.name_zh, row.name_en), count=row.count, points=row.points
        )
        for row in report.types
    ]
    idle = report.idle
    lines.append(w["summary_idle"].format(count=len(idle), total=len(report.people)))
    if idle:
        lines.append("  " + _names([row.name for row in idle], w))
    lines += _meetings(report, w)
    if report.duty:
        total = {
            key: sum(getattr(row, key) for row in report.duty)
            for key in ("assigned", "served", "missed", "upcoming")
        }
        lines.append(w["summary_duty"].format(**total))
    figures = report.concerns
    lines.append(
        w["summary_concerns"].format(
            received=figures.received,
            resolved=figures.resolved,
            closed=figures.closed,
            open=figures.open,
            older=figures.open_by_age[-1],
        )
    )
    lines += [
        w["summary_read"].format(
            issue=w.issue(row.number),
            read=row.read,
            audience=row.audience,
            rate=round(100 * row.rate),
        )
        for row in report.reads
    ]
    return lines
