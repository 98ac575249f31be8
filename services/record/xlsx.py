"""The duty record as a workbook: activities, points by type and quarter, concerns.

CPU work: callers run it off the event loop (asyncio.to_thread or a process).
"""

from __future__ import annotations

from services.dates import format_quarter
from services.files import Cell, Sheet, write_xlsx_sheets
from services.record.model import QUARTERS, DutyRecord
from services.record.wording import Wording, wording_for


def record_xlsx(record: DutyRecord, locale: str, words: Wording | None = None) -> bytes:
    """The record as a workbook; `words` from wording_for(locale, the chat's gettext)."""
    words = words or wording_for(locale)
    return write_xlsx_sheets(
        [
            _activities(record, locale, words),
            _points(record, locale, words),
            _concerns(record, words),
        ]
    )


def _activities(record: DutyRecord, locale: str, words: Wording) -> Sheet:
    rows: list[list[Cell]] = [
        [
            line.day,
            line.type_name(locale),
            line.place or "",
            line.summary,
            line.points,
            words.yes if line.for_bulletin else words.no,
        ]
        for line in record.activities
    ]
    return Sheet(words.sheet_activities, words.activity_headers, rows, widths=(12, 14, 24, 80))


def points_headers(record: DutyRecord, locale: str, words: Wording) -> list[str]:
    quarters = [format_quarter(record.year, quarter, locale) for quarter in QUARTERS]
    return [words.points_type, words.points_count, *quarters, words.points_total]


def points_rows(record: DutyRecord, locale: str, words: Wording) -> list[list[Cell]]:
    """A row per activity type, then the totals row: the same figures in the XLSX and PDF."""
    rows: list[list[Cell]] = [
        [item.type_name(locale), item.count, *item.by_quarter, item.total]
        for item in record.points_by_type
    ]
    count = sum(item.count for item in record.points_by_type)
    rows.append([words.total_row, count, *record.points_by_quarter, record.total_points])
    return rows


def _points(record: DutyRecord, locale: str, words: Wording) -> Sheet:
    return Sheet(
        words.sheet_points,
        points_headers(record, locale, words),
        points_rows(record, locale, words),
        widths=(16,),
    )


def _concerns(record: DutyRecord, words: Wording) -> Sheet:
    rows: list[list[Cell]] = [
        [
            line.created_on,
            words.categories.get(line.category, line.category),
            line.summary,
            line.place or "",
            words.states.get(line.state, line.state),
            line.department or "",
            line.changed_on,
        ]
        for line in record.concerns
    ]
    return Sheet(words.sheet_concerns, words.concern_headers, rows, widths=(12, 14, 60, 20))
