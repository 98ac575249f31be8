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
from services.record.documents import RecordFiles, build_documents, file_stem, record_pdf
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
