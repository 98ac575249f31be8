"""QR codes of invitation links, for printed invitations, and names for their image files."""

from __future__ import annotations

import io
import re
from collections import Counter

from services.invitations.issue import IssuedInvitation


def qr_png(link: str) -> bytes:
    # Imported here: qrcode brings PIL, megabytes that only an invitation needs.
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    # Medium error correction survives a smudged or folded printout; a 4-module quiet zone is
    # what phone scanners expect.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(link)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return buffer.getvalue()


def qr_file_stems(issued: list[IssuedInvitation]) -> list[str]:
    """A file name per person: the name made safe, plus the person id where names collide."""
    stems = [_safe_stem(item.name) for item in issued]
    # Case-folded: two names differing only in case collide on Windows and macOS file systems.
    seen = Counter(stem.casefold() for stem in stems)
    return [
        f"{stem}_{item.person_id}" if seen[stem.casefold()] > 1 else stem
        for stem, item in zip(stems, issued, strict=True)
    ]


def _safe_stem(name: str) -> str:
    # Letters and digits of any script stay (Chinese names too); path separators, dots that
    # could climb out of the folder, and characters Windows forbids become "_".
    stem = re.sub(r"[^\w-]+", "_", name).strip("_-")
    return stem[:64] or "person"
