"""The report as an XLSX, one sheet per table, written by the safe writer (services.files)."""

from __future__ import annotations

from services.files import Cell, Sheet, write_xlsx_sheets
from services.reports.model import Report
from services.reports.wording import ReportWords


def report_xlsx(report: Report, w: ReportWords) -> bytes:
    """CPU work: call it off the event loop (asyncio.to_thread)."""
    return write_xlsx_sheets(
        [
            Sheet(
                w["sheet_types"],
                [w["type"], w["activities"], w["points"]],
                [[w.type_name(r.name_zh, r.name_en), r.count, r.points] for r in report.types],
                (18, 10, 10),
            ),
            Sheet(
                w["sheet_months"],
                [w["group"], w["month"], w["activities"], w["points"]],
                [
                    [w.group(r.group), f"{r.year}-{r.month:02d}", r.count, r.points]
                    for r in report.group_months
                ],
                (18, 10, 10, 10),
            ),
            Sheet(
                w["sheet_people"],
                [w["representative"], w["group"], w["activities"], w["points"]],
                [[r.name, w.group(r.group), r.count, r.points] for r in report.people],
                (14, 18, 10, 10),
            ),
            Sheet(
                w["sheet_idle"],
                [w["representative"], w["group"]],
                [[r.name, w.group(r.group)] for r in report.idle],
                (14, 18),
            ),
            Sheet(
                w["sheet_meetings"],
                [
                    w["group"],
                    w["held"],
                    w["invited"],
                    w["attending"],
                    w["excused"],
                    w["no_answer"],
                    w["checked_in"],
                ],
                [
                    [r.group, r.held, r.invited, r.attending, r.excused, r.no_answer, r.checked_in]
                    for r in report.meetings
                ],
                (18, 10, 10, 10, 10, 10, 10),
            ),
            Sheet(
                w["sheet_duty"],
                [w["station"], w["duties"], w["served"], w["missed"], w["upcoming"]],
                [[r.station, r.assigned, r.served, r.missed, r.upcoming] for r in report.duty],
                (18, 10, 10, 10, 10),
            ),
            Sheet(
                w["sheet_missed"],
                [w["date"], w["station"], w["representative"]],
                [[r.day, r.station, r.name] for r in report.missed],
                (12, 18, 14),
            ),
            Sheet(
                w["sheet_concerns"], [w["figure"], w["count"]], _concern_rows(report, w), (36, 10)
            ),
            Sheet(
                w["sheet_reads"],
                [w["issue"], w["title"], w["date"], w["audience"], w["read"], w["rate"]],
                [
                    [
                        f"{r.year}-{r.number}",
                        r.title,
                        r.issued_on,
                        r.audience,
                        r.read,
                        round(100 * r.rate, 1),
                    ]
                    for r in report.reads
                ],
                (10, 24, 12, 12, 10, 12),
            ),
        ]
    )


def _concern_rows(report: Report, w: ReportWords) -> list[list[Cell]]:
    figures = report.concerns
    rows: list[list[Cell]] = [
        [w["received"], figures.received],
        [w["resolved"], figures.resolved],
        [w["closed"], figures.closed],
    ]
    rows += [
        [w["now_in"].format(state=label), figures.by_state.get(state, 0)]
        for state, label in w.states.items()
    ]
    ages = ("age_week", "age_month", "age_quarter", "age_older")
    rows += [[w[key], count] for key, count in zip(ages, figures.open_by_age, strict=True)]
    return rows
