"""What staff type while assembling an issue: a piece rewritten (first line the heading, each
further line a paragraph, a last line such as （…供稿） the source) and the editor's note."""

from __future__ import annotations

from services.bulletins import text as fmt
from services.bulletins.assembly import Piece, finished
from services.bulletins.model import MAX_ARTICLE_CHARS, MAX_NOTE_CHARS
from services.errors import BadInput
from services.i18n_marks import N_
from storage.bulletin_models import HEADING_LIMIT, LINE_LIMIT


class BadPiece(BadInput):
    heading = N_(
        "The first line is the heading: write it on one line of at most {limit} characters."
    )
    empty = N_("Write at least one paragraph under the heading, each on a line of its own.")
    long = N_("The article is longer than {limit} characters; shorten it.")
    source = N_("The source line may hold at most {limit} characters.")


class BadNote(BadInput):
    message = N_("The editor's note may hold at most {limit} characters; it has {count}.")


def rewritten(piece: Piece, text: str) -> Piece:
    """``piece`` with the heading, paragraphs and (if given) source line of ``text``."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    heading = fmt.unbreak(fmt.HEADING.sub(r"\g<text>", lines[0])) if lines else ""
    if not heading or len(heading) > HEADING_LIMIT:
        raise BadPiece(BadPiece.heading, limit=HEADING_LIMIT)
    body = lines[1:]
    source = piece.source
    if body and fmt.SOURCE.match(body[-1]):
        source = body.pop()
        if len(source) > LINE_LIMIT:
            raise BadPiece(BadPiece.source, limit=LINE_LIMIT)
    if not body:
        raise BadPiece(BadPiece.empty)
    paragraphs = [finished(line) for line in body]
    if sum(map(len, paragraphs)) > MAX_ARTICLE_CHARS:
        raise BadPiece(BadPiece.long, limit=MAX_ARTICLE_CHARS)
    return Piece(
        activity_id=piece.activity_id, heading=heading, paragraphs=paragraphs, source=source
    )


def as_text(piece: Piece) -> str:
    """The piece as staff would type it back: heading, paragraphs, source, a line each."""
    return "\n".join([piece.heading, *piece.paragraphs, *([piece.source] if piece.source else [])])


def editors_note(text: str) -> str:
    """The note as one paragraph (the issue prints it so); a leading 编者按： is dropped."""
    joined = ""
    for line in text.splitlines():
        joined = fmt.join(joined, line.strip())
    found = fmt.NOTE.match(joined)
    note = found["text"].strip() if found else joined.strip()
    if len(note) > MAX_NOTE_CHARS:
        raise BadNote(limit=MAX_NOTE_CHARS, count=len(note))
    return note
