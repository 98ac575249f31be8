"""Drafts of the quarterly score post: prepared per group within a staff member's scope,
reached again on every press (a forged group id out of scope gets the answer of no draft at
all), edited (the intro line) and approved once.

A group with nothing logged in the quarter gets no draft: a post listing every member at zero
would tell them nothing; the staff's list names such groups instead, so nothing is missed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.dates import quarter_bounds, quarter_of
from services.deliveries.enqueue import enqueue
from services.deliveries.model import Chosen, TemplateContent
from services.errors import DomainError, PermissionDenied
from services.i18n_marks import N_
from services.score_post.figures import ScoreFigures, score_figures
from services.score_post.text import POST
from storage.models import Group
from storage.score_post import add_drafts, drafts_for, group_totals, groups_of, is_member
from storage.score_post_models import INTRO_LIMIT, ScoreDraft


class DraftNotFound(DomainError):
    message = N_("There is no such score post within your reach.")


class AlreadyApproved(DomainError):
    message = N_("This score post was approved already: it has gone to the group's members.")


class BadIntro(DomainError):
    message = N_("The intro is one line of at most 200 characters. Please write it again.")


@dataclass
class DraftList:
    year: int
    quarter: int
    pending: list[tuple[int, str]] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    nothing: list[str] = field(default_factory=list)


def may_post(actor: Actor) -> bool:
    return actor.is_staff


def previous_quarter(today: date) -> tuple[int, int]:
    first, _last = quarter_bounds(*quarter_of(today))
    return quarter_of(first - timedelta(days=1))


def post_key(group_id: int, year: int, quarter: int) -> str:
    return f"score:{group_id}:{year}Q{quarter}"


async def prepare_drafts(
    *, session: AsyncSession, scope: frozenset[int] | None, year: int, quarter: int
) -> DraftList:
    """Every group's draft within `scope` (None: all), created where missing: one query of
    totals per delegation says which groups logged anything."""
    listed = DraftList(year, quarter)
    first, last = quarter_bounds(year, quarter)
    counts: dict[int, int] = {}
    groups = await groups_of(session=session, delegation_ids=scope)
    for delegation_id in sorted({d for _g, _n, d in groups}):
        totals = await group_totals(
            session=session, delegation_id=delegation_id, first=first, last=last
        )
        counts.update({group_id: count for group_id, _n, count, _p in totals})
    with_activity = []
    for group_id, name, _delegation_id in groups:
        if counts.get(group_id, 0):
            with_activity.append((group_id, name))
        else:
            listed.nothing.append(name)
    drafts = await add_drafts(
        session=session, group_ids=[g for g, _n in with_activity], year=year, quarter=quarter
    )
    for group_id, name in with_activity:
        if drafts[group_id].approved_at is None:
            listed.pending.append((group_id, name))
        else:
            listed.done.append(name)
    return listed


async def reach_draft(
    *, session: AsyncSession, actor: Actor, group_id: int, year: int, quarter: int
) -> tuple[Group, ScoreDraft]:
    if not may_post(actor):
        raise PermissionDenied()
    group = await session.get(Group, group_id)
    if group is None or not actor.sees_delegation(group.delegation_id):
        raise DraftNotFound()
    drafts = await drafts_for(session=session, group_ids=[group_id], year=year, quarter=quarter)
    if group_id not in drafts:
        raise DraftNotFound()
    return group, drafts[group_id]


async def draft_figures(*, session: AsyncSession, group: Group, draft: ScoreDraft) -> ScoreFigures:
    return await score_figures(session=session, group=group, year=draft.year, quarter=draft.quarter)


async def set_intro(*, session: AsyncSession, draft: ScoreDraft, text: str) -> None:
    line = text.strip()
    if not line or "\n" in line or len(line) > INTRO_LIMIT:
        raise BadIntro()
    if draft.approved_at is not None:
        raise AlreadyApproved()
    draft.intro = line
    session.add(draft)
    await session.flush()


async def approve(
    *,
    session: AsyncSession,
    actor: Actor,
    group: Group,
    draft: ScoreDraft,
    figures: ScoreFigures,
    now: datetime,
) -> None:
    """Send the post to the group's members, rendered in each one's language with the button
    that draws its image. The delivery is keyed per group and quarter (`score:<group>:
    <year>Q<q>`), so nothing goes out twice whoever approves again."""
    if draft.approved_at is not None:
        raise AlreadyApproved()
    key = post_key(group.id or 0, draft.year, draft.quarter)
    audience = Chosen(scope=actor.scope, group_ids=frozenset({group.id or 0}))
    params = {"figures": figures.as_params(), "intro": draft.intro}
    await enqueue(
        session=session,
        dedupe_key=key,
        audience=audience,
        content=TemplateContent(POST, params),
        not_before=now,
        author_telegram_id=actor.telegram_id,
    )
    draft.approved_at = now
    draft.approved_by = actor.telegram_id
    session.add(draft)
    await session.flush()


async def reach_chart(
    *, session: AsyncSession, actor: Actor, group_id: int, year: int, quarter: int
) -> tuple[Group, ScoreDraft]:
    """The approved post whose image a member (or staff in scope) asks for."""
    group = await session.get(Group, group_id)
    drafts = await drafts_for(session=session, group_ids=[group_id], year=year, quarter=quarter)
    draft = drafts.get(group_id)
    if group is None or draft is None or draft.approved_at is None:
        raise DraftNotFound()
    if actor.sees_delegation(group.delegation_id):
        return group, draft
    if actor.person_id is None or not await is_member(
        session=session, person_id=actor.person_id, group_id=group_id
    ):
        raise DraftNotFound()
    return group, draft
