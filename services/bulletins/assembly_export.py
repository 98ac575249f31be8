"""An assembled issue as files: Markdown in the text format services.bulletins.parse reads, and
DOCX whose styles services.bulletins.files.docx_lines reads back (the masthead as Title, the
contents as List Bullet, the article headings as Heading 2). Both print the issue in the order
of the seed bulletin: masthead, number, issuing body, date, editor's note, contents, articles
with their source lines, distribution.

CPU-bound and synchronous: from the event loop, call these through ``asyncio.to_thread``.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from enum import StrEnum

from services.bulletins.model import ParsedIssue

NOTE_LABEL = "编者按："
BODY_FONT = "仿宋"


class Part(StrEnum):
    masthead = "masthead"
    centred = "centred"
    note = "note"
    item = "item"
    heading = "heading"
    paragraph = "paragraph"
    source = "source"
    rule = "rule"
    distribution = "distribution"


def parts(issue: ParsedIssue) -> Iterator[tuple[Part, str]]:
    """The issue's printed parts in order, each with its text."""
    yield Part.masthead, issue.title
    yield Part.centred, f"第 {issue.number} 期"
    if issue.issuing_body:
        yield Part.centred, issue.issuing_body
    day = issue.issued_on
    yield Part.centred, f"{day.year} 年 {day.month} 月 {day.day} 日"
    if issue.editors_note:
        yield Part.note, issue.editors_note
    for entry in issue.contents:
        yield Part.item, entry
    for article in issue.articles:
        yield Part.heading, article.heading
        for paragraph in article.paragraphs:
            yield Part.paragraph, paragraph
        if article.source:
            yield Part.source, article.source
    if issue.distribution:
        yield Part.rule, "---"
        for line in issue.distribution:
            yield Part.distribution, line


def _escaped(text: str) -> str:
    """Text as Markdown the parser reads back unchanged: its escapes and bold markers kept."""
    escaped = text.replace("\\", "\\\\").replace("*", "\\*")
    return "\\" + escaped if escaped.startswith("#") else escaped


_MARKS = {
    Part.masthead: "# {}",
    Part.note: "**" + NOTE_LABEL + "**{}",
    Part.item: "* {}",
    Part.heading: "## {}",
}


def to_markdown(issue: ParsedIssue) -> str:
    blocks = [
        "---" if part == Part.rule else _MARKS.get(part, "{}").format(_escaped(text))
        for part, text in parts(issue)
    ]
    return "\n\n".join(blocks) + "\n"


def to_docx(issue: ParsedIssue) -> bytes:
    from docx import Document  # imported here: most of the bot never writes a DOCX
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    for part, text in parts(issue):
        if part == Part.rule:
            continue
        if part == Part.masthead:
            paragraph = document.add_heading(text, level=0)
        elif part == Part.heading:
            paragraph = document.add_heading(text, level=2)
        elif part == Part.item:
            paragraph = document.add_paragraph(text, style="List Bullet")
        elif part == Part.note:
            paragraph = document.add_paragraph()
            paragraph.add_run(NOTE_LABEL).bold = True
            paragraph.add_run(text)
        else:
            paragraph = document.add_paragraph(text)
        if part in (Part.masthead, Part.centred):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif part == Part.source:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif part == Part.paragraph:
            paragraph.paragraph_format.first_line_indent = Pt(28)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
