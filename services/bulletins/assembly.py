"""Bulletin assembly, the pieces: activities marked for the bulletin in the staff member's scope
(not yet in a published issue), and each picked one as an article — a heading from its
delegation and summary, its summary and the representative's bulletin note as paragraphs, and
its delegation as the source line. Staff may rewrite a piece (services.bulletins.assembly_text).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins import text as fmt
from services.errors import BadInput, NotFound, PermissionDenied
from services.i18n_marks import N_
from storage.bulletin_assembly import CandidateRow, count_candidates, list_candidates
from storage.bulletin_models import HEADING_LIMIT

# A default heading names the delegation and the summary's first sentence, cut to this length.
TOPIC_CHARS = 40
PAGE_SIZE = 6
# Each piece gets a row of four buttons on the order card, and Telegram allows 100 buttons to a
# keyboard; twenty is ten times the articles of the seed issue.
MAX_PIECES = 20


class NotACandidate(NotFound):
    # One answer for "no such activity", "outside your delegations" and "already published".
    message = N_(
        "That activity is not among those marked for the bulletin in your delegations; "
        "nothing was changed."
    )


class TooManyPieces(BadInput):
    message = N_("An issue may hold at most {limit} articles; remove one before adding another.")


class Piece(BaseModel):
    """One article of the issue being assembled, as plain JSON for the dialog's storage."""

    activity_id: int
    heading: str
    paragraphs: list[str] = Field(default_factory=list)
    source: str | None = None


@dataclass(frozen=True)
class Candidate:
    activity_id: int
    happened_on: date
    person: str
    delegation: str
    type_zh: str
    type_en: str
    summary: str
    note: str | None


@dataclass(frozen=True)
class CandidatePage:
    items: list[Candidate]
    page: int
    pages: int
    total: int


def _ensure_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise PermissionDenied()


def _candidate(row: CandidateRow) -> Candidate:
    activity = row.activity
    assert activity.id is not None  # noqa: S101 - a stored row
    return Candidate(
        activity_id=activity.id,
        happened_on=activity.happened_on,
        person=row.person_name,
        delegation=row.delegation_name,
        type_zh=row.type_zh,
        type_en=row.type_en,
        summary=activity.summary,
        note=activity.bulletin_note,
    )


async def candidate_page(*, session: AsyncSession, actor: Actor, page: int) -> CandidatePage:
    """One page of the candidates, newest first; a page past the end shows the last one."""
    _ensure_staff(actor)
    total = await count_candidates(session=session, scope=actor.scope)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    rows = await list_candidates(
        session=session, scope=actor.scope, offset=page * PAGE_SIZE, limit=PAGE_SIZE
    )
    return CandidatePage([_candidate(row) for row in rows], page, pages, total)


async def toggle(
    *, session: AsyncSession, actor: Actor, picked: Sequence[int], activity_id: int
) -> list[int]:
    """The picked list with ``activity_id`` added at the end, or removed if it was there."""
    _ensure_staff(actor)
    if activity_id in picked:
        return [item for item in picked if item != activity_id]
    if not await list_candidates(session=session, scope=actor.scope, ids=[activity_id]):
        raise NotACandidate()
    if len(picked) >= MAX_PIECES:
        raise TooManyPieces(limit=MAX_PIECES)
    return [*picked, activity_id]


async def pieces(
    *,
    session: AsyncSession,
    actor: Actor,
    picked: Sequence[int],
    edits: Mapping[int, Piece],
) -> list[Piece]:
    """The picked activities still available to the actor, in the picked order, each as edited
    or as its default piece."""
    _ensure_staff(actor)
    if not picked:
        return []
    rows = await list_candidates(session=session, scope=actor.scope, ids=list(picked))
    found = {candidate.activity_id: candidate for candidate in map(_candidate, rows)}
    return [
        edits.get(activity_id) or default_piece(found[activity_id])
        for activity_id in picked
        if activity_id in found
    ]


def default_piece(candidate: Candidate) -> Piece:
    lines = [*candidate.summary.splitlines(), *(candidate.note or "").splitlines()]
    return Piece(
        activity_id=candidate.activity_id,
        heading=default_heading(candidate.delegation, candidate.summary),
        paragraphs=[finished(line) for line in lines if line.strip()],
        source=source_line(candidate.delegation),
    )


def default_heading(delegation: str, summary: str) -> str:
    first = fmt.unbreak(summary.strip().splitlines()[0] if summary.strip() else "")
    for stop in "。！？；":
        first = first.split(stop)[0]
    topic = fmt.excerpt(first, TOPIC_CHARS)
    return fmt.unbreak(f"{delegation}：{topic}")[:HEADING_LIMIT]


def source_line(delegation: str) -> str:
    # Brackets inside would end the source line early when the issue is read back.
    name = delegation.translate(str.maketrans("", "", "（）()"))
    return f"（{name}供稿）"


def finished(paragraph: str) -> str:
    """A paragraph as printed: one that reads as cut off by a page break gets its full stop,
    so that reading the issue back does not join it to the next one."""
    text = paragraph.strip()
    return text + "。" if fmt.continues(text) else text
