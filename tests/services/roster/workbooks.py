"""Large and hostile XLSX files, built in memory: the sheet XML is streamed into the archive.

Each starts from a small workbook written by openpyxl (so every other part is genuine) whose
sheet is replaced by XML generated here, fast enough to make a 50,000-row file in a test.
"""

import io
import struct
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from xml.sax.saxutils import escape

from tests.services.roster.builders import HEADER_ZH, person, xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"
_OPEN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
_CLOSE = b"</sheetData></worksheet>"
_MB = 1024 * 1024


def row_xml(cells: Sequence[object]) -> bytes:
    """Numbers as Excel stores typed numbers, text as the inline strings openpyxl writes."""
    parts = [
        "<c/>"
        if cell == ""
        else f"<c><v>{cell}</v></c>"
        if isinstance(cell, int)
        else f'<c t="inlineStr"><is><t>{escape(str(cell))}</t></is></c>'
        for cell in cells
    ]
    return ("<row>" + "".join(parts) + "</row>").encode()


def roster_rows(count: int) -> Iterator[bytes]:
    """The header and ``count`` distinct, valid representatives, one ``<row>`` each."""
    yield row_xml(HEADER_ZH)
    for index in range(count):
        cells: list[object] = list(person(f"代表{index:05d}", group=f"第{index % 50 + 1}小组"))
        # The id and phone columns typed as numbers, as staff usually do.
        cells[1], cells[8] = 41_000_000 + index, 13_800_000_000 + index
        yield row_xml(cells)


def workbook(
    rows: Iterable[bytes], *, tail: bytes = _CLOSE, extra_members: int = 0, level: int = 1
) -> bytes:
    """A workbook whose sheet is the given rows; ``tail`` replaces the closing tags."""
    template = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["姓名"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as target:
        for item in template.infolist():
            if item.filename != SHEET:
                target.writestr(item, template.read(item.filename))
                continue
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(_OPEN)
                for batch in _batches(rows):
                    sheet.write(batch)
                sheet.write(tail)
        for number in range(extra_members):
            target.writestr(f"xl/media/image{number}.png", b"")
    return buffer.getvalue()


def bomb(unpacked_mb: int) -> bytes:
    """A sheet of the same representative repeated until the XML reaches ``unpacked_mb``."""
    # Runs of blanks between the rows, as a pretty-printer writes, let it compress further.
    row = row_xml(person("张三", phone="13812345678")) + b" " * 1024
    block = row * (_MB // len(row))
    return workbook(_header_then(block for _ in range(unpacked_mb)), level=9)


def understating(real_mb: int, declared: int) -> bytes:
    """A workbook whose sheet inflates to ``real_mb`` while its headers declare ``declared``."""
    data = bytearray(bomb(real_mb))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    # Local header: the uncompressed size is at offset 22. Zip64 keeps it in the extra field.
    _patch_sizes(data, info.header_offset, 22, declared)
    directory = data.find(b"PK\x01\x02")
    while data[directory + 46 : directory + 46 + len(SHEET)] != SHEET.encode():
        directory = data.find(b"PK\x01\x02", directory + 4)
    _patch_sizes(data, directory, 24, declared)
    return bytes(data)


def _patch_sizes(data: bytearray, header: int, size_offset: int, declared: int) -> None:
    if struct.unpack_from("<I", data, header + size_offset)[0] == 0xFFFFFFFF:
        # Zip64: the real sizes sit in the extra field (tag 1, uncompressed size first).
        name_length, extra_length = struct.unpack_from("<HH", data, header + size_offset + 4)
        fixed = 30 if size_offset == 22 else 46
        extra = header + fixed + name_length
        end = extra + extra_length
        while extra < end:
            tag, length = struct.unpack_from("<HH", data, extra)
            if tag == 1:
                struct.pack_into("<Q", data, extra + 4, declared)
                return
            extra += 4 + length
    struct.pack_into("<I", data, header + size_offset, declared)


def _header_then(blocks: Iterable[bytes]) -> Iterator[bytes]:
    yield row_xml(HEADER_ZH)
    yield from blocks


def _batches(rows: Iterable[bytes]) -> Iterator[bytes]:
    batch: list[bytes] = []
    size = 0
    for row in rows:
        batch.append(row)
        size += len(row)
        if size >= _MB:
            yield b"".join(batch)
            batch, size = [], 0
    if batch:
        yield b"".join(batch)
