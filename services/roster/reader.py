"""Turns uploaded bytes into a ``Sheet``, choosing the reader by file extension.

CSV files come from Excel in UTF-8 (with or without BOM) or, on Chinese Windows, in GB18030/GBK;
anything that decodes as neither, or holds control characters, is a binary file with the wrong name.
"""

import csv
import io
import re
from pathlib import PurePath

from services.i18n_marks import N_
from services.roster.errors import FileProblem
from services.roster.grid import CellValue, Sheet, cell_too_long, too_many_rows
from services.roster.limits import MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_SHEET_ROWS, megabytes
from services.roster.xlsx import read_xlsx

_ENCODINGS = ("utf-8-sig", "gb18030")
# Text files never hold C0 controls other than tab and line breaks; binary data almost always does.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DELIMITERS = (",", "\t", ";")
_SNIFF_LINES = 5


def read_sheet(data: bytes, filename: str) -> Sheet:
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(
            N_("The file is larger than {limit} MB; split the roster into smaller files."),
            {"limit": megabytes(MAX_FILE_BYTES)},
        )
    if not data.strip():
        raise FileProblem(N_("The file {filename} is empty."), {"filename": filename})
    extension = PurePath(filename).suffix.lower()
    if extension == ".csv":
        return read_csv(data, filename)
    if extension in (".xlsx", ".xlsm"):
        return read_xlsx(data, filename)
    if extension == ".xls":
        raise FileProblem(
            N_("The old Excel format .xls is not supported; save the file as .xlsx or .csv."),
        )
    raise FileProblem(
        N_("The file {filename} is not a roster file; send a .csv or .xlsx file."),
        {"filename": filename},
    )


def read_csv(data: bytes, filename: str) -> Sheet:
    text = _decode(data, filename)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    rows: list[tuple[int, list[CellValue]]] = []
    try:
        # Numbering records, not physical lines, matches the row numbers Excel shows for the file.
        for number, record in enumerate(reader, start=1):
            if number > MAX_SHEET_ROWS:
                raise too_many_rows()
            rows.append((number, [_bounded(cell) for cell in record]))
    except csv.Error as exc:
        raise FileProblem(
            N_("The CSV file cannot be read near line {line}; check its quotes and save it again."),
            {"line": reader.line_num},
        ) from exc
    return Sheet(rows=rows)


def _bounded(cell: str) -> CellValue:
    return cell_too_long() if len(cell) > MAX_CELL_CHARS else cell


def _decode(data: bytes, filename: str) -> str:
    not_text = FileProblem(
        N_("The file {filename} is not a CSV text file; save the roster as CSV or XLSX again."),
        {"filename": filename},
    )
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        # Old DOS tools end text files with Ctrl-Z; it is the only control character forgiven.
        text = text.rstrip("\x1a")
        if _CONTROL.search(text):
            raise not_text
        if not text.strip():
            raise FileProblem(N_("The file {filename} is empty."), {"filename": filename})
        return text
    raise not_text


def _sniff_delimiter(text: str) -> str:
    # csv.Sniffer guesses wrongly on one-column or quote-heavy files. The first lines (a title row
    # may come before the header) hold the separator more often than any other candidate.
    head = "\n".join(text.lstrip()[:65_536].splitlines()[:_SNIFF_LINES])
    counts = {delimiter: head.count(delimiter) for delimiter in _DELIMITERS}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","
