"""The CJK font of the report charts: WenQuanYi Micro Hei from the paperang-p2-fonts-cjk wheel,
the one the duty record PDF embeds (services.record.font), registered with matplotlib's font
manager at first use. No system font is looked for, so a chart draws the same on any machine.
"""

from __future__ import annotations

import threading
from contextlib import ExitStack
from importlib.resources import as_file, files

FAMILY = "WenQuanYi Micro Hei"

_lock = threading.Lock()
# Keeps a temporary copy (from a zipped install) alive as long as the process: matplotlib reads
# the file again whenever it draws text.
_files = ExitStack()
_path: str | None = None


def chart_font() -> str:
    """Registers the font once per process (thread-safe) and returns its file's path."""
    global _path
    with _lock:
        if _path is None:
            from matplotlib import font_manager, rcParams

            # Here, not at the top: services.record.font loads ReportLab, which the bot's start
            # does without.
            from services.record.font import FONT_FILE, FONT_PACKAGE

            path = _files.enter_context(as_file(files(FONT_PACKAGE) / "fonts" / FONT_FILE))
            font_manager.fontManager.addfont(str(path))
            rcParams["font.family"] = [FAMILY]
            # The font has no U+2212 minus sign; axes use the ASCII hyphen instead.
            rcParams["axes.unicode_minus"] = False
            _path = str(path)
        return _path
