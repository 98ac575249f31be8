"""The words of a report in the reader's language, translated once by the caller's gettext.

The summary, the workbook and the charts are made off the event loop (a thread, the command
line), so they take these words ready-made rather than asking a translation context there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from services.concerns.transitions import STATE_LABELS
from services.dates import format_date, format_quarter, format_year
from services.i18n_marks import N_
from services.labels import is_zh
from services.reports.model import Period, UnitKind

_MSGIDS = {
    "delegation": N_("Delegation"),
    "group": N_("Group"),
    "station": N_("Station"),
    "no_group": N_("(no group)"),
    "other_groups": N_("Other groups"),
    "type": N_("Activity type"),
    "month": N_("Month"),
    "activities": N_("Activities"),
    "points": N_("Points"),
    "representative": N_("Representative"),
    "date": N_("Date"),
    "duties": N_("Duties"),
    "served": N_("Served"),
    "missed": N_("Missed"),
    "upcoming": N_("Upcoming"),
    "figure": N_("Figure"),
    "count": N_("Count"),
    "issue": N_("Issue no."),
    "title": N_("Title"),
    "audience": N_("Delivered to"),
    "read": N_("Read"),
    "rate": N_("Read rate (%)"),
    "sheet_types": N_("By type"),
    "sheet_months": N_("By group and month"),
    "sheet_people": N_("Representatives"),
    "sheet_idle": N_("Logged nothing"),
    "sheet_duty": N_("Duty"),
    "sheet_missed": N_("Missed duties"),
    "sheet_concerns": N_("Concerns"),
    "sheet_reads": N_("Bulletin reads"),
    "sheet_meetings": N_("Group meetings"),
    "held": N_("Meetings held"),
    "invited": N_("Invited"),
    "attending": N_("Attending"),
    "excused": N_("Excused"),
    "no_answer": N_("No answer"),
    "checked_in": N_("Checked in"),
    "received": N_("Received in the period"),
    "resolved": N_("Resolved in the period"),
    "closed": N_("Closed in the period"),
    "now_in": N_("Received in the period, now {state}"),
    "age_week": N_("Open, up to 7 days old"),
    "age_month": N_("Open, 8 to 30 days old"),
    "age_quarter": N_("Open, 31 to 90 days old"),
    "age_older": N_("Open, more than 90 days old"),
    "chart_months": N_("Activities per group per month"),
    "chart_points": N_("Points per representative"),
    "chart_points_x": N_("Points in the period"),
    "chart_points_y": N_("Number of representatives"),
    "chart_meetings": N_("Group meeting invitations by answer"),
    "chart_checked_in": N_("checked in {count}"),
    "chart_pipeline": N_("Concerns received in the period, by state now"),
    "chart_reads": N_("Bulletin read rate per issue (%)"),
    "issue_number": N_("No. {number}"),
    "heading": N_("Report: {unit} · {period}"),
    "summary_activities": N_("Activities: {count}, points: {points}."),
    "summary_type": N_("{type}: {count} ({points} points)"),
    "summary_idle": N_("Logged nothing: {count} of {total} representatives."),
    "summary_meetings": N_(
        "Group meetings: {held} in {met} of {groups} groups; invitations {invited}: "
        "attending {attending}, excused {excused}, no answer {no_answer}; checked in {checked_in}."
    ),
    "summary_group_meetings": N_(
        "Group meetings: {held}; invitations {invited}: attending {attending}, excused "
        "{excused}, no answer {no_answer}; checked in {checked_in}."
    ),
    "summary_no_meeting": N_("No meeting: {names}"),
    "summary_duty": N_("Duty: {assigned}, served {served}, missed {missed}, upcoming {upcoming}."),
    "summary_concerns": N_(
        "Concerns: received {received}, resolved {resolved}, closed {closed}; "
        "open now {open} (more than 90 days old: {older})."
    ),
    "summary_read": N_("Bulletin {issue}: read by {read} of {audience} ({rate}%)."),
    "summary_nothing": N_(
        "Nothing logged: no activities, group meetings, duty, concerns or bulletin issues in "
        "this period."
    ),
    "and_more": N_("… and {count} more"),
}


@dataclass(frozen=True)
class ReportWords:
    locale: str
    words: Mapping[str, str]
    states: Mapping[str, str]

    def __getitem__(self, key: str) -> str:
        return self.words[key]

    def unit_kind(self, kind: UnitKind) -> str:
        return self.words[kind.value]

    def type_name(self, name_zh: str, name_en: str) -> str:
        return name_zh if is_zh(self.locale) else name_en

    def group(self, name: str | None) -> str:
        return name if name is not None else self.words["no_group"]

    def issue(self, number: int) -> str:
        return self.words["issue_number"].format(number=number)

    def period(self, period: Period) -> str:
        code = period.code
        if "Q" in code:
            year, quarter = code.split("Q")
            return format_quarter(int(year), int(quarter), self.locale)
        if code.isdigit():
            return format_year(int(code), self.locale)
        first, last = format_date(period.first, self.locale), format_date(period.last, self.locale)
        return f"{first} – {last}"


def report_words(translate: Callable[[str], str], locale: str) -> ReportWords:
    return ReportWords(
        locale=locale,
        words={key: translate(msgid) for key, msgid in _MSGIDS.items()},
        states={state.value: translate(label) for state, label in STATE_LABELS.items()},
    )
