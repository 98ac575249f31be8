"""A delegation's evaluation for a year: each source one aggregate query (storage.evaluation),
then ranked (services.evaluation.rank)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.dates import local_today
from services.errors import DomainError, PermissionDenied
from services.evaluation.criteria import ACTIVITY_CODES, Criterion, require_weights
from services.evaluation.model import Evaluation, Figure
from services.evaluation.rank import Entry, rank, shortlist_size
from services.i18n_marks import N_
from services.reports import UnitKind, reachable_unit, reachable_units
from storage import evaluation as queries

FIRST_YEAR = 1949


class FutureYear(DomainError):
    message = N_("{year} has not begun yet: an evaluation covers a year up to today.")


class BadYear(DomainError):
    message = N_("Write the year to evaluate as four digits, for example /evaluation {example}.")


def parse_year(text: str, *, today: date) -> int:
    """The year written (``2024``), refused when malformed or in the future."""
    word = text.strip()
    if not (len(word) == 4 and word.isascii() and word.isdigit()) or int(word) < FIRST_YEAR:
        raise BadYear(example=today.year - 1)
    if int(word) > today.year:
        raise FutureYear(year=int(word))
    return int(word)


def may_evaluate(actor: Actor) -> bool:
    return actor.is_staff


async def evaluable_delegations(*, session: AsyncSession, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the delegations within the staff member's scope, by name."""
    if not may_evaluate(actor):
        raise PermissionDenied()
    units = await reachable_units(session=session, actor=actor, kind=UnitKind.delegation)
    return [(unit.id, unit.name) for unit in units]


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


async def build_evaluation(
    *,
    session: AsyncSession,
    actor: Actor | None,
    delegation_id: int,
    year: int,
    weights: Mapping[Criterion, float],
    shortlist_percent: float,
    now: datetime,
    tz: ZoneInfo,
) -> Evaluation:
    """The ranking, after checking the weights, the year (not in the future) and that ``actor``
    (None: the command line) is staff reaching the delegation."""
    require_weights(weights)
    if actor is not None and not may_evaluate(actor):
        raise PermissionDenied()
    today = local_today(now, tz)
    parse_year(str(year), today=today)
    unit = await reachable_unit(
        session=session, actor=actor, kind=UnitKind.delegation, unit_id=delegation_id
    )
    first, last = date(year, 1, 1), date(year, 12, 31)
    start, end = _midnight(first, tz), _midnight(date(year + 1, 1, 1), tz)
    until = min(end, now)  # meetings still to come this year are not missed yet
    roster = await queries.delegation_roster(session=session, delegation_id=delegation_id)
    counts = await queries.activity_counts(
        session=session, delegation_id=delegation_id, first=first, last=last, codes=ACTIVITY_CODES
    )
    resolved = await queries.concerns_resolved(
        session=session, delegation_id=delegation_id, start=start, end=end
    )
    attendance = await queries.meeting_attendance(
        session=session, delegation_id=delegation_id, start=start, end=until
    )
    duty = await queries.duty_served(
        session=session,
        delegation_id=delegation_id,
        first=first,
        before=min(today, date(year + 1, 1, 1)),
    )
    entries = []
    for person_id, name, group in roster:
        logged = counts.get(person_id, {})
        invited, attended = attendance.get(person_id, (0, 0))
        due, served = duty.get(person_id, (0, 0))
        figures = {
            Criterion.attendance: Figure(attended, invited),
            Criterion.inspections: Figure(logged.get(Criterion.inspections, 0)),
            Criterion.receptions: Figure(
                logged.get(Criterion.receptions, 0) + resolved.get(person_id, 0)
            ),
            Criterion.suggestions: Figure(logged.get(Criterion.suggestions, 0)),
            Criterion.reports: Figure(logged.get(Criterion.reports, 0)),
            Criterion.duty: Figure(served, due),
        }
        entries.append(Entry(person_id, name, group, figures))
    standings = rank(entries, weights)
    size = shortlist_size(len(standings), shortlist_percent)
    chosen = [standing for standing in standings[:size] if standing.score > 0]
    return Evaluation(year, delegation_id, unit.name, dict(weights), standings, chosen)
