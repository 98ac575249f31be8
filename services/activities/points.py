"""Points of activity types. An admin's change applies to activities logged from then on: each
activity keeps the points it earned when logged, until an explicit, audited rescore of a year."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.dates import normalize
from services.errors import BadInput
from services.i18n_marks import N_
from storage.activities import rescore_year
from storage.activity_types import list_activity_types
from storage.audit import record_audit
from storage.duty_models import ActivityType

MAX_POINTS = 1000


class UnknownType(BadInput):
    message = N_("There is no activity type “{name}”. Known types: {types}.")


class PointsOutOfRange(BadInput):
    message = N_("Points must be a whole number from 0 to 1000.")


async def list_types(*, session: AsyncSession) -> list[ActivityType]:
    """The types in use, in their order, with their current points."""
    return await list_activity_types(session=session)


async def find_type(*, session: AsyncSession, name: str) -> ActivityType:
    """A type by its code, Chinese or English name, or an alias (case and width ignored).

    Codes and names are tried before aliases, so an alias never hides another type's name.
    """
    wanted = normalize(name).casefold()
    types = await list_activity_types(session=session, include_inactive=True)
    for kind in types:
        if wanted in {_fold(kind.code), _fold(kind.name_zh), _fold(kind.name_en)}:
            return kind
    for kind in types:
        if wanted in {_fold(alias) for alias in kind.aliases}:
            return kind
    # Codes read the same in every language and are accepted here, so they are what is listed.
    raise UnknownType(name=name, types=", ".join(kind.code for kind in types))


def _fold(word: str) -> str:
    return normalize(word).casefold()


async def set_points(
    *, session: AsyncSession, type_code_or_name: str, points: int, actor_telegram_id: int
) -> ActivityType:
    if not 0 <= points <= MAX_POINTS:
        raise PointsOutOfRange()
    kind = await find_type(session=session, name=type_code_or_name)
    old = kind.points
    kind.points = points
    session.add(kind)
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action="activity_type.points",
        target=f"activity_type:{kind.code}",
        details={"old": old, "new": points},
    )
    return kind


async def rescore(*, session: AsyncSession, year: int, actor_telegram_id: int | None) -> int:
    """Give every activity of ``year`` (deleted ones too) its type's current points.

    Returns how many activities changed. Activity objects already loaded in this session are not
    refreshed.
    """
    changed = await rescore_year(session=session, year=year)
    await record_audit(
        session=session,
        actor_telegram_id=actor_telegram_id,
        action="activities.rescore",
        target=f"year:{year}",
        details={"year": year, "count": changed},
    )
    return changed
