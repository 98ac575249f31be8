"""The CJK font of the duty record PDF: WenQuanYi Micro Hei from the paperang-p2-fonts-cjk wheel.

A TrueType-outline (glyf) font, which ReportLab embeds as subsets; CFF-outline OpenType files
(most Noto/Source Han releases) it cannot embed. The file is found through the installed
package, never by a path on this machine. See README.md, "Duty record PDF".
"""

from __future__ import annotations

import threading
from importlib.resources import as_file, files

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_NAME = "RecordCJK"
FONT_PACKAGE = "paperang_p2_fonts_cjk"
FONT_FILE = "wqy-microhei.ttc"
# Shown instead of a character the font lacks (a rare ideograph, an emoji): a visible box,
# never the font's empty .notdef glyph.
MISSING = "□"

_lock = threading.Lock()
_font: TTFont | None = None


def cjk_font() -> TTFont:
    """The font, read and registered with ReportLab once per process (a thread-safe first use)."""
    global _font
    with _lock:
        if _font is None:
            resource = files(FONT_PACKAGE) / "fonts" / FONT_FILE
            # ReportLab reads the whole file while constructing, so a temporary copy (from a
            # zipped install) may go away afterwards.
            with as_file(resource) as path:
                font = TTFont(FONT_NAME, str(path), subfontIndex=0)
            pdfmetrics.registerFont(font)
            _font = font
        return _font


def printable(text: str) -> str:
    """``text`` with every character the font cannot draw replaced by a box."""
    glyphs: dict[int, int] = cjk_font().face.charToGlyph
    if all(ord(char) in glyphs or char in "\n\t" for char in text):
        return text
    return "".join(char if ord(char) in glyphs or char in "\n\t" else MISSING for char in text)
