"""Bulletin assembly, the issue: the picked pieces in order become the next issue of the year
(number = the year's last stored number + 1; an unpublished draft assembled before is not
counted, so assembling again offers to replace it, as /publish does), dated today, under the
masthead and issuing body, with the editor's note and the contents. It is staged as a draft
through the publish flow (services.bulletins.publish.stage_issue) and its pieces remembered,
so that an activity whose issue is published is not offered again."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.bulletins import text as fmt
from services.bulletins.assembly import Piece
from services.bulletins.importing import OriginalFile
from services.bulletins.model import ParsedArticle, ParsedIssue
from services.bulletins.publish import stage_issue
from services.errors import BadInput, PermissionDenied
from services.i18n_marks import N_
from storage.bulletin_assembly import last_number, latest_issue, link_pieces
from storage.bulletin_models import BulletinIssue

MASTHEAD = "代表工作"


class NothingPicked(BadInput):
    message = N_("Pick at least one activity for the issue before drafting it.")


async def build_issue(
    *,
    session: AsyncSession,
    actor: Actor,
    pieces: Sequence[Piece],
    note: str,
    today: date,
    issuing_body: str,
) -> ParsedIssue:
    """The next issue of ``today``'s year from ``pieces``. The masthead, issuing body (unless
    set) and distribution lines are those of the newest stored issue, as the office prints."""
    if not actor.is_staff:
        raise PermissionDenied()
    if not pieces:
        raise NothingPicked()
    number = await last_number(session=session, year=today.year) + 1
    latest = await latest_issue(session=session)
    distribution = list(latest.distribution) if latest is not None else []
    # Lines that would not read back as the distribution are left for the editor to add.
    if distribution and not fmt.DISTRIBUTION.match(distribution[0]):
        distribution = []
    articles = [
        ParsedArticle(
            heading=piece.heading,
            line=0,
            place=fmt.place_of(piece.heading),
            paragraphs=list(piece.paragraphs),
            source=piece.source,
        )
        for piece in pieces
    ]
    return ParsedIssue(
        year=today.year,
        number=number,
        issued_on=today,
        title=(latest.title if latest is not None else "") or MASTHEAD,
        issuing_body=issuing_body or (latest.issuing_body if latest is not None else ""),
        editors_note=note,
        contents=[piece.heading for piece in pieces],
        articles=articles,
        distribution=distribution,
        copies=_copies(distribution),
    )


def _copies(distribution: Sequence[str]) -> int | None:
    found = [fmt.COPIES.search(fmt.folded(line)) for line in distribution]
    return next((int(match.group(1)) for match in reversed(found) if match), None)


def file_stem(issue: ParsedIssue) -> str:
    return f"{issue.title}{issue.year}年第{issue.number}期"


async def stage_assembled(
    *,
    session: AsyncSession,
    actor: Actor,
    issue: ParsedIssue,
    pieces: Sequence[Piece],
    replace: bool,
    now: datetime,
) -> BulletinIssue:
    """Store the assembled issue as a draft (``DraftExists`` as in /publish) and remember which
    activity became which of its articles."""
    original = OriginalFile(name=f"{file_stem(issue)}.docx", kind="docx")
    stored = await stage_issue(
        session=session, actor=actor, parsed=issue, original=original, replace=replace, now=now
    )
    assert stored.id is not None  # noqa: S101 - flushed
    await link_pieces(
        session=session, issue_id=stored.id, activity_ids=[piece.activity_id for piece in pieces]
    )
    return stored
