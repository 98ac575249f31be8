"""The duty record as a printable A4 PDF, with its Chinese embedded as TrueType subsets.

CPU work: callers run it off the event loop (asyncio.to_thread or a process).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from services.dates import format_date, format_year
from services.files import Cell
from services.record.font import FONT_NAME, cjk_font, printable
from services.record.model import DutyRecord, MandateLine
from services.record.wording import Wording, wording_for
from services.record.xlsx import points_headers, points_rows

MARGIN = 16 * mm
WIDTH = A4[0] - 2 * MARGIN

_BODY = ParagraphStyle("body", fontName=FONT_NAME, fontSize=9, leading=12.5, wordWrap="CJK")
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=8.5, leading=11.5)
_HEAD = ParagraphStyle("head", parent=_CELL, textColor=colors.HexColor("#333333"))
_SECTION = ParagraphStyle("section", parent=_BODY, fontSize=12, leading=16, spaceBefore=10)
_TITLE = ParagraphStyle("title", parent=_BODY, fontSize=18, leading=24, alignment=TA_CENTER)
_TABLE = TableStyle(
    [
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#999999")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#ececec")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        # Cells of one short line (dates, numbers) are plain strings, set in this font.
        ("FONT", (0, 0), (-1, -1), FONT_NAME, _CELL.fontSize, _CELL.leading),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
)


def record_pdf(record: DutyRecord, locale: str, words: Wording | None = None) -> bytes:
    """The record as a printable A4 PDF; `words` from wording_for(locale, the chat's gettext)."""
    cjk_font()  # registered before any style that names it is used
    words = words or wording_for(locale)
    heading = words.heading.format(
        title=words.title, name=record.name, year=format_year(record.year, locale)
    )
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=heading,
        author=record.name,
    )
    story: list[Flowable] = [_text(heading, _TITLE), Spacer(0, 4 * mm)]
    story += _section(words.section_mandates, _mandates(record.mandates, locale, words), words)
    story += _section(words.section_points, _points(record, locale, words), words)
    story += _section(words.section_activities, _activities(record, locale, words), words)
    story += _section(words.section_concerns, _concerns(record, locale, words), words)

    def footer(canvas: Canvas, _document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT_NAME, 8)
        label = printable(words.page.format(page=canvas.getPageNumber()))
        canvas.drawCentredString(A4[0] / 2, MARGIN / 2, label)
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


def _text(text: str, style: ParagraphStyle) -> Paragraph:
    lines = printable(text.replace("\r\n", "\n").replace("\r", "\n"))
    return Paragraph(escape(lines).replace("\n", "<br/>"), style)


def _section(title: str, body: list[Flowable], words: Wording) -> list[Flowable]:
    return [_text(title, _SECTION), Spacer(0, 2 * mm), *(body or [_text(words.none, _BODY)])]


def _table(
    headers: Sequence[str],
    rows: list[list[Cell]],
    widths: Sequence[float],
    plain: frozenset[int] = frozenset(),
) -> Table:
    """A table repeating its header on each page; the columns in ``plain`` hold one short line
    each and skip paragraph layout, which is most of the PDF's time."""
    data: list[list[Paragraph | str]] = [[_text(str(h), _HEAD) for h in headers]]
    for row in rows:
        text = ["" if cell is None else str(cell) for cell in row]
        data.append([printable(t) if i in plain else _text(t, _CELL) for i, t in enumerate(text)])
    # splitInRow: a summary longer than a page continues on the next one instead of failing.
    table = Table(data, colWidths=[w * WIDTH for w in widths], repeatRows=1, splitInRow=1)
    table.setStyle(_TABLE)
    return table


def _mandates(mandates: Sequence[MandateLine], locale: str, words: Wording) -> list[Flowable]:
    out: list[Flowable] = []
    for line in mandates:
        text = words.mandate.format(
            term=line.term_number,
            level=words.levels.get(line.level, line.level),
            delegation=line.delegation,
        )
        if line.group:
            text += "\n" + words.group.format(group=line.group)
            text += words.leader if line.is_group_leader else ""
        if line.term_start is not None:
            end = format_date(line.term_end, locale) if line.term_end else words.open_end
            text += "\n" + words.term.format(start=format_date(line.term_start, locale), end=end)
        out.append(_text(text, _BODY))
    return out


def _points(record: DutyRecord, locale: str, words: Wording) -> list[Flowable]:
    widths = (0.22, 0.1, 0.14, 0.14, 0.14, 0.14, 0.12)
    table = _table(
        points_headers(record, locale, words), points_rows(record, locale, words), widths
    )
    return [table]


def _activities(record: DutyRecord, locale: str, words: Wording) -> list[Flowable]:
    if not record.activities:
        return []
    rows: list[list[Cell]] = [
        [
            format_date(line.day, locale),
            line.type_name(locale),
            line.place or "",
            (words.bulletin_mark if line.for_bulletin else "") + line.summary,
            line.points,
        ]
        for line in record.activities
    ]
    headers = words.activity_headers[:5]
    return [_table(headers, rows, (0.21, 0.12, 0.16, 0.43, 0.08), plain=frozenset({0, 4}))]


def _concerns(record: DutyRecord, locale: str, words: Wording) -> list[Flowable]:
    if not record.concerns:
        return []
    rows: list[list[Cell]] = [
        [
            format_date(line.created_on, locale),
            words.categories.get(line.category, line.category),
            line.summary + (f"\n{line.place}" if line.place else ""),
            words.states.get(line.state, line.state),
            line.department or "",
            format_date(line.changed_on, locale),
        ]
        for line in record.concerns
    ]
    headers = [*words.concern_headers[:3], *words.concern_headers[4:]]
    return [_table(headers, rows, (0.2, 0.1, 0.32, 0.08, 0.1, 0.2))]
