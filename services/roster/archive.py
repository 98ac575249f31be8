"""The zip archive under an XLSX workbook, inflated once with a cap before openpyxl sees it.

Sizes are counted on the bytes that come out of the decompressor, never taken from the archive's
directory, which the sender writes: a zip bomb or a member that understates its size is refused
after inflating at most the limit. openpyxl later reads the same members through ``zipfile``,
which never yields more than a member's declared size and checks its CRC at the end, so what it
parses is exactly what was counted here.
"""

import io
import re
import zipfile
from dataclasses import dataclass

from services.i18n_marks import N_
from services.roster.errors import FileProblem
from services.roster.limits import (
    MAX_ARCHIVE_MEMBERS,
    MAX_SHARED_STRINGS_BYTES,
    MAX_UNPACKED_BYTES,
    megabytes,
)

_CHUNK = 1024 * 1024
_FORMULA_TAG = re.compile(rb"<(?:\w+:)?f[\s>/]")
# Enough to hold a formula tag cut in two by a chunk boundary, with its namespace prefix.
_OVERLAP = 64
_SHARED_STRINGS = re.compile(r"xl/sharedStrings\d*\.xml", re.IGNORECASE)


class ArchiveProblem(FileProblem):
    """The workbook's archive is too large when unpacked, damaged, or built to exhaust the bot."""


@dataclass(frozen=True, slots=True)
class ArchiveFacts:
    has_formulas: bool


def inspect_archive(data: bytes, filename: str) -> ArchiveFacts:
    """Inflate every member with a cap, and tell whether any worksheet holds formulas."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise not_a_workbook(filename) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            raise ArchiveProblem(
                N_(
                    "The file {filename} is made of more than {limit} parts; a roster workbook "
                    "has far fewer. Save the roster alone in a new workbook and send it again."
                ),
                {"filename": filename, "limit": MAX_ARCHIVE_MEMBERS},
            )
        budget = MAX_UNPACKED_BYTES
        has_formulas = False
        for member in members:
            worksheet = member.filename.startswith("xl/worksheets/")
            inflated, formulas = _inflate(archive, member, filename, budget, scan=worksheet)
            budget -= inflated
            has_formulas = has_formulas or formulas
            if _SHARED_STRINGS.fullmatch(member.filename) and inflated > MAX_SHARED_STRINGS_BYTES:
                raise _too_large(filename, MAX_SHARED_STRINGS_BYTES)
    return ArchiveFacts(has_formulas=has_formulas)


def _inflate(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, filename: str, budget: int, *, scan: bool
) -> tuple[int, bool]:
    inflated = 0
    found = False
    tail = b""
    try:
        with archive.open(member) as stream:
            # Reading one byte past the budget is how a member that is too large shows itself.
            while chunk := stream.read(min(_CHUNK, budget - inflated + 1)):
                inflated += len(chunk)
                if inflated > budget:
                    raise _too_large(filename, MAX_UNPACKED_BYTES)
                if scan and not found:
                    found = _FORMULA_TAG.search(tail + chunk) is not None
                    tail = chunk[-_OVERLAP:]
    # zipfile stops a member at its declared size and then finds the CRC wrong: the member
    # understates its size, or its data was altered.
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise ArchiveProblem(
            N_(
                "The file {filename} is damaged: a part of it does not match the size or checksum "
                "it declares. Save it again from Excel and send it again."
            ),
            {"filename": filename},
        ) from exc
    # A compression method zipfile cannot inflate, or an encrypted member.
    except (NotImplementedError, RuntimeError) as exc:
        raise not_a_workbook(filename) from exc
    return inflated, found


def _too_large(filename: str, limit: int) -> ArchiveProblem:
    return ArchiveProblem(
        N_(
            "The file {filename} unpacks to more than {limit} MB, far more than a roster needs; "
            "it was refused. Save the roster alone in a new workbook and send it again."
        ),
        {"filename": filename, "limit": megabytes(limit)},
    )


def not_a_workbook(filename: str) -> FileProblem:
    return FileProblem(
        N_("The file {filename} is not a readable XLSX workbook; save it again from Excel."),
        {"filename": filename},
    )
