"""The duty record PDF: every character it writes is drawn by a glyph of the font it embeds.

The PDF is read back: for each text-showing operator, the font it uses must be embedded
(FontFile2); each code shown must map, through the embedded font program's own cmap, to a real
glyph (not .notdef, with an outline unless the character is a space), and through ToUnicode to
the character meant. So a character silently drawn as an empty box fails, not only a missing one.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream, TextStringObject
from reportlab.pdfgen.canvas import Canvas

from services.dates import format_date
from services.record import (
    ActivityLine,
    ConcernLine,
    DutyRecord,
    MandateLine,
    TypePoints,
    record_pdf,
)
from services.record.font import FONT_NAME, MISSING, cjk_font

BULLETIN = Path(__file__).resolve().parent.parent / "data" / "000_a1bcc203f270e66c.txt"
# Written as a summary too: full-width punctuation, ASCII letters, digits and signs.
SAMPLE = "（）《》、，。：；“”！？ Visited ABCXYZ abcxyz 0123456789 -+=/@#%&*()[]"


@dataclass
class Drawn:
    chars: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


@dataclass
class _Font:
    to_unicode: dict[int, str]
    glyph_of_code: dict[int, str]
    program: Any  # fontTools TTFont of the embedded subset


def _load_font(font: Any) -> _Font | str:
    if font.get("/Subtype") != "/TrueType":
        return f"font {font.get('/BaseFont')} is {font.get('/Subtype')}, not a TrueType subset"
    descriptor = font.get("/FontDescriptor")
    if descriptor is None or "/FontFile2" not in descriptor.get_object():
        return f"font {font.get('/BaseFont')} is not embedded"
    program = TTFont(io.BytesIO(descriptor.get_object()["/FontFile2"].get_object().get_data()))
    cmap_text = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    to_unicode = {
        int(code, 16): chr(int(unicode, 16))
        for code, unicode in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>", cmap_text)
    }
    # A simple TrueType font maps one-byte codes to glyphs through its (1, 0) or (3, 0) cmap.
    table = program["cmap"].getcmap(1, 0) or program["cmap"].getcmap(3, 0)
    glyph_of_code = {code & 0xFF: name for code, name in table.cmap.items()}
    return _Font(to_unicode, glyph_of_code, program)


def drawn_text(pdf: bytes) -> Drawn:
    """The characters the PDF draws, and every way one of them is not drawn by a real glyph."""
    drawn = Drawn()
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        resources: Any = page["/Resources"]["/Font"]  # type: ignore[index]
        fonts: dict[str, _Font | str] = {}
        current: str | None = None
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"Tf":
                current = str(operands[0])
                continue
            if operator not in (b"Tj", b"TJ", b"'", b'"'):
                continue
            if current is None:
                drawn.problems.append("text shown without a font")
                continue
            if current not in fonts:
                fonts[current] = _load_font(resources[current].get_object())
            font = fonts[current]
            if isinstance(font, str):
                drawn.problems.append(font)
                continue
            for code in _codes(operands, operator):
                _check(font, code, drawn)
    return drawn


def _codes(operands: list[Any], operator: bytes) -> bytes:
    items = operands[0] if operator == b"TJ" else [operands[-1]]
    data = b""
    for item in items:
        if isinstance(item, TextStringObject):
            data += item.original_bytes
        elif isinstance(item, bytes):
            data += item
    return data


def _check(font: _Font, code: int, drawn: Drawn) -> None:
    glyph = font.glyph_of_code.get(code)
    char = font.to_unicode.get(code)
    if glyph is None or glyph == ".notdef" or char is None or char == "\x00":
        drawn.problems.append(f"code {code:#04x} is drawn as .notdef")
        return
    if not char.isspace() and font.program["glyf"][glyph].numberOfContours == 0:
        drawn.problems.append(f"{char!r} is drawn by an empty glyph")
    drawn.chars.add(char)


def _sentences() -> list[str]:
    text = BULLETIN.read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if len(line.strip()) >= 8]


def _record(summaries: list[str]) -> DutyRecord:
    activities = tuple(
        ActivityLine(
            day=date(2024, 1 + n % 12, 1 + n % 28),
            type_code="research",
            type_zh="调研",
            type_en="Research visit",
            place="洛阳市涧西区（联络站）",
            summary=summary,
            points=3,
            for_bulletin=n % 4 == 0,
        )
        for n, summary in enumerate(summaries)
    )
    mandate = MandateLine(
        "驻洛省十四届人大代表", "province", 14, date(2023, 1, 16), None, "第一小组", True
    )
    concern = ConcernLine(
        date(2024, 3, 1),
        date(2024, 3, 9),
        "livelihood",
        "小区路灯损坏，夜间出行不便。",
        "西工区",
        "forwarded",
        "市城市管理局",
    )
    return DutyRecord(
        person_id=7,
        name="王建国",
        year=2024,
        mandates=(mandate,),
        activities=activities,
        points_by_type=(
            TypePoints("research", "调研", "Research visit", len(activities), (9, 9, 9, 9)),
        ),
        points_by_quarter=(9, 9, 9, 9),
        concerns=(concern,),
    )


def _no_space(text: str) -> str:
    return "".join(text.split())


def test_every_character_written_is_drawn_by_a_glyph_of_the_embedded_font() -> None:
    summaries = [*_sentences(), SAMPLE]
    record = _record(summaries)

    pdf = record_pdf(record, "zh")

    drawn = drawn_text(pdf)
    assert drawn.problems == []
    written = "".join(summaries) + "王建国驻洛省十四届人大代表第一小组洛阳市涧西区（联络站）调研"
    written += "小区路灯损坏，夜间出行不便。西工区市城市管理局" + format_date(
        date(2024, 3, 15), "zh"
    )
    written += "《履职档案》"
    missing = {char for char in written if not char.isspace()} - drawn.chars
    assert missing == set()
    assert len(drawn.chars) > 400  # the bulletin's sentences are really in there
    # ToUnicode is written: the text reads back, every character as often as it was written
    # (a summary split across pages is interrupted by the page's header and footer, so the
    # characters are counted rather than the summaries searched).
    text = _no_space("".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "《履职档案》王建国2024年" in text
    assert Counter(text) >= Counter(_no_space("".join(summaries)))


def test_the_english_record_is_drawn_by_the_same_font() -> None:
    pdf = record_pdf(_record(_sentences()[:5]), "en")

    drawn = drawn_text(pdf)
    assert drawn.problems == []
    assert set("Duty record: 王建国, 2024 Mon Jan Page") - {" "} <= drawn.chars


def test_a_character_the_font_lacks_is_a_visible_box_never_notdef() -> None:
    pdf = record_pdf(_record(["生僻字𠀀与表情😀", "<b>不是标记</b> & 符号"]), "zh")

    drawn = drawn_text(pdf)
    assert drawn.problems == []
    assert MISSING in drawn.chars
    assert "𠀀" not in drawn.chars
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "<b>不是标记</b> & 符号" in text  # markup in a summary is text, not formatting


def test_the_check_finds_a_notdef_and_an_unembedded_font() -> None:
    cjk_font()
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFont(FONT_NAME, 12)
    canvas.drawString(50, 500, "王𠀀")  # drawn without the record's substitution
    canvas.setFont("Helvetica", 12)
    canvas.drawString(50, 400, "abc")
    canvas.save()

    drawn = drawn_text(buffer.getvalue())

    assert drawn.chars == {"王"}
    assert drawn.problems == [
        "code 0x00 is drawn as .notdef",
        "font /Helvetica is /Type1, not a TrueType subset",
    ]


def test_a_summary_longer_than_a_page_continues_on_the_next() -> None:
    pdf = record_pdf(_record(["鑫" * 4097]), "zh")

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    text = _no_space("".join(page.extract_text() for page in reader.pages))
    assert text.count("鑫") == 4097
