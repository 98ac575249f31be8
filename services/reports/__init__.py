"""Staff reports: a unit's figures for a period, aggregated in SQL, as text, XLSX and charts."""

from services.reports.build import build_report
from services.reports.files import ReportFiles, report_files
from services.reports.model import Period, Report, Unit, UnitKind
from services.reports.period import (
    BadPeriod,
    FuturePeriod,
    as_numbers,
    from_numbers,
    last_quarter,
    parse_period,
    this_quarter,
    this_year,
)
from services.reports.units import UnitNotFound, may_report, reachable_unit, reachable_units
from services.reports.wording import ReportWords, report_words

__all__ = [
    "BadPeriod",
    "FuturePeriod",
    "Period",
    "Report",
    "ReportFiles",
    "ReportWords",
    "Unit",
    "UnitKind",
    "UnitNotFound",
    "as_numbers",
    "build_report",
    "from_numbers",
    "last_quarter",
    "may_report",
    "parse_period",
    "reachable_unit",
    "reachable_units",
    "report_files",
    "report_words",
    "this_quarter",
    "this_year",
]
