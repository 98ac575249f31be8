"""Opens an XLSX workbook for streaming: its string table, number formats and sheet parts.

``openpyxl.load_workbook(read_only=True)`` would also size every worksheet when it opens the
file, and a sheet without a ``<dimension>`` element is then parsed to its end, whatever its
length: the row limit could not stop it. So the workbook parts are read with openpyxl's own
``ExcelReader`` steps, and the worksheets are left to be streamed only when and as far as needed.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from services.roster.archive import not_a_workbook
from services.roster.errors import FileProblem


@dataclass(frozen=True, slots=True)
class Book:
    archive: Any
    shared_strings: list[str]
    epoch: datetime
    date_formats: Any
    timedelta_formats: Any
    # (title, part) of each worksheet in workbook order; chart sheets, without cells, left out.
    worksheets: list[tuple[str, str]]
    # The sheet staff saw last, when it is a worksheet.
    active: tuple[str, str] | None

    def parser(self, source: IO[bytes], *, data_only: bool) -> Any:
        from openpyxl.worksheet._reader import WorkSheetParser

        # The parser and arguments ReadOnlyWorksheet itself uses (openpyxl 3.1, pinned).
        return WorkSheetParser(
            source,
            self.shared_strings,
            data_only=data_only,
            epoch=self.epoch,
            date_formats=self.date_formats,
            timedelta_formats=self.timedelta_formats,
        )


@contextmanager
def broken_file_is_not_a_workbook(filename: str) -> Iterator[None]:
    """openpyxl's failures on a broken file, turned into one reason staff can act on."""
    try:
        yield
    except (FileProblem, MemoryError):
        raise
    # Broken XML, a missing part, a shared string index out of range, a row number that is not a
    # number: openpyxl raises KeyError, ValueError, TypeError, IndexError or an XML parse error
    # depending on which part is broken, and all of them mean the file must be saved again.
    except Exception as exc:
        raise not_a_workbook(filename) from exc


@contextmanager
def open_book(data: bytes, filename: str) -> Iterator[Book]:
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    with broken_file_is_not_a_workbook(filename):
        # External links hold cached copies of other workbooks; a roster needs none.
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        with broken_file_is_not_a_workbook(filename):
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            sheets = [
                (sheet.name, rel.target, "chartsheet" in rel.Type)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files
            ]
            views = reader.wb.views
            active_index = views[0].activeTab if views else 0
        worksheets = [(title, part) for title, part, chart in sheets if not chart]
        active = None
        if 0 <= active_index < len(sheets) and not sheets[active_index][2]:
            active = sheets[active_index][:2]
        wb = reader.wb
        yield Book(
            archive=reader.archive,
            shared_strings=reader.shared_strings,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
            worksheets=worksheets,
            active=active,
        )
    finally:
        reader.archive.close()
