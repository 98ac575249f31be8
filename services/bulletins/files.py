"""An issue file's bytes → ``ParsedIssue``: text or Markdown (UTF-8, or GB18030 as Chinese Windows
saves it) or DOCX, whose paragraphs go through the same parser. CPU-bound and synchronous: from
the event loop, call ``read_issue_file`` through ``asyncio.to_thread``.

Memory stays bounded whatever the file claims: the file's size is checked first, and a DOCX's
archive is inflated with a cap (sizes counted on what comes out, not read from the archive)
before python-docx opens it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from enum import StrEnum

from services.bulletins.errors import IssueFileError
from services.bulletins.model import Line, ParsedIssue
from services.bulletins.parse import parse_issue
from services.i18n_marks import N_

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 500
_CHUNK = 1024 * 1024
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # Word 97-2003 (.doc), Excel 97-2003 (.xls)
_PDF = b"%PDF"


class FileKind(StrEnum):
    text = "text"
    docx = "docx"


@dataclass(frozen=True)
class IssueFile:
    issue: ParsedIssue
    kind: FileKind


def read_issue_file(data: bytes, filename: str) -> IssueFile:
    """The issue in a file; raises ``IssueFileError`` with the reason (and the line) if none."""
    if len(data) > MAX_FILE_BYTES:
        raise IssueFileError(
            N_("The file {filename} is larger than {limit} MB; an issue is far smaller."),
            filename=filename,
            limit=MAX_FILE_BYTES // (1024 * 1024),
        )
    if not data.strip():
        raise IssueFileError(N_("The file {filename} is empty."), filename=filename)
    if data.startswith(_ZIP):
        return IssueFile(parse_issue(docx_lines(data, filename)), FileKind.docx)
    if data.startswith(_OLE):
        raise IssueFileError(
            N_(
                "The file {filename} is an old Word (.doc) file: save it as .docx and send it "
                "again."
            ),
            filename=filename,
        )
    if data.startswith(_PDF):
        raise IssueFileError(
            N_(
                "The file {filename} is a PDF, which cannot be read into articles: send the issue "
                "as DOCX or as text."
            ),
            filename=filename,
        )
    return IssueFile(parse_issue(text_lines(data, filename)), FileKind.text)


def text_lines(data: bytes, filename: str) -> list[Line]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not _binary(text):
            return [Line(number, line) for number, line in enumerate(text.splitlines(), 1)]
    raise _neither(filename)


def _binary(text: str) -> bool:
    controls = sum(1 for char in text[:4096] if ord(char) < 32 and char not in "\t\n\r\f")
    return controls > 0


def docx_lines(data: bytes, filename: str) -> list[Line]:
    """A DOCX's paragraphs as lines, a blank line after each: a paragraph's number is its line.
    Heading styles become `# `, list styles `* `, as in the text form."""
    _check_archive(data, filename)
    from docx import Document  # imported here: most of the bot never reads a DOCX

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises anything from KeyError to lxml's errors
        raise _neither(filename) from exc
    lines: list[Line] = []
    for number, paragraph in enumerate(document.paragraphs, 1):
        text = paragraph.text
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith(("Heading", "Title")) and text.strip():
            text = "# " + " ".join(text.split("\n"))
        elif style.startswith("List") and text.strip():
            text = "* " + text
        lines += [Line(number, piece) for piece in text.split("\n")]
        lines.append(Line(number, ""))
    return lines


def _check_archive(data: bytes, filename: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _neither(filename) from exc
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "word/document.xml" not in names or len(members) > MAX_ARCHIVE_MEMBERS:
            raise _neither(filename)
        budget = MAX_UNPACKED_BYTES
        for member in members:
            budget -= _inflate(archive, member, filename, budget)


def _inflate(archive: zipfile.ZipFile, member: zipfile.ZipInfo, filename: str, budget: int) -> int:
    inflated = 0
    try:
        with archive.open(member) as stream:
            # One byte past the budget is how a member that is too large shows itself.
            while chunk := stream.read(min(_CHUNK, budget - inflated + 1)):
                inflated += len(chunk)
                if inflated > budget:
                    raise IssueFileError(
                        N_("The file {filename} unpacks to more than {limit} MB; it was refused."),
                        filename=filename,
                        limit=MAX_UNPACKED_BYTES // (1024 * 1024),
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise _neither(filename) from exc
    except (NotImplementedError, RuntimeError) as exc:  # an unknown method, or encrypted
        raise _neither(filename) from exc
    return inflated


def _neither(filename: str) -> IssueFileError:
    return IssueFileError(
        N_(
            "The file {filename} is neither text nor a readable DOCX document. Send the issue "
            "as a .docx, or as UTF-8 text in the format the README describes."
        ),
        filename=filename,
    )
