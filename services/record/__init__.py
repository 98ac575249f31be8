"""The yearly duty record (履职档案) of a representative, as XLSX and PDF."""

from __future__ import annotations

from services.record.access import (
    RecordRequest,
    RecordTarget,
    RecordYearInvalid,
    own_record,
    parse_request,
    staff_target,
)
from services.record.collect import collect_record
from services.record.documents import RecordFiles, build_documents, file_stem
from services.record.model import ActivityLine, ConcernLine, DutyRecord, MandateLine, TypePoints
from services.record.xlsx import record_xlsx

__all__ = [
    "ActivityLine",
    "ConcernLine",
    "DutyRecord",
    "MandateLine",
    "RecordFiles",
    "RecordRequest",
    "RecordTarget",
    "RecordYearInvalid",
    "TypePoints",
    "build_documents",
    "collect_record",
    "file_stem",
    "own_record",
    "parse_request",
    "record_pdf",
    "record_xlsx",
    "staff_target",
]


def record_pdf(record: DutyRecord, locale: str) -> bytes:
    """The printable A4 PDF (services.record.pdf). CPU work: run it off the event loop.

    ReportLab, and the imaging library it loads, are imported on the first record drawn, so
    that starting the bot does not load them.
    """
    from services.record.pdf import record_pdf as draw

    return draw(record, locale)
