"""Everything a report is sent as: the summary, the workbook and the charts."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from services.reports.charts import Chart, render_charts
from services.reports.model import Report
from services.reports.summary import summary_lines
from services.reports.wording import ReportWords
from services.reports.workbook import report_xlsx


@dataclass(frozen=True)
class ReportFiles:
    summary: list[str]
    xlsx: bytes
    charts: list[Chart]
    stem: str  # for file names: report-delegation-3-2024Q1


def _make(report: Report, words: ReportWords) -> tuple[bytes, list[Chart]]:
    return report_xlsx(report, words), render_charts(report, words)


async def report_files(report: Report, words: ReportWords) -> ReportFiles:
    """The workbook and the charts are CPU work: drawn in a thread, off the event loop."""
    xlsx, charts = await asyncio.to_thread(_make, report, words)
    unit = report.unit
    stem = f"report-{unit.kind.value}-{unit.id}-{report.period.code.replace('..', '_')}"
    return ReportFiles(summary_lines(report, words), xlsx, charts, stem)
