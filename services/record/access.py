"""Whose record `/record` may give: a representative their own, staff anyone's within scope.

Staff are answered the same neutral sentence for a name outside their scope as for a name that
exists nowhere, so the command reveals nothing beyond the delegations they look after.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.errors import BadInput, NotFound, PermissionDenied
from services.i18n_marks import N_
from services.invitations import (
    PersonNotInScope,
    ensure_person_in_scope,
)
from services.invitations.people import clean_name
from services.permissions import Role
from storage.audit import record_audit

EARLIEST_YEAR = 2000


class RecordYearInvalid(BadInput):
    message = N_("Send a year from {first} to {last}, for example /record {example}.")


@dataclass(frozen=True)
class RecordRequest:
    """What `/record ...` asked for: a name (empty: one's own record) and a year."""

    name: str
    year: int


@dataclass(frozen=True)
class RecordTarget:
    person_id: int
    year: int
    # The delegations the record may show (None: all): the staff member's scope.
    delegation_ids: frozenset[int] | None


_YEAR = re.compile(r"([0-9]+)年?")
ONLY_OWN = N_("You can get only your own duty record: send /record or /record {year}.")
USAGE = N_("Send /record and a name, for example /record 王建国 {year}.")


def parse_request(args: str | None, *, today: date) -> RecordRequest:
    """``王建国 2024``, ``2024``, ``王建国`` or nothing; full-width digits and 年 are read too."""
    words = unicodedata.normalize("NFKC", args or "").split()
    years = [found.group(1) for word in words if (found := _YEAR.fullmatch(word))]
    name = "".join(word for word in words if not _YEAR.fullmatch(word))
    if len(years) > 1 or (
        years and (len(years[0]) != 4 or not EARLIEST_YEAR <= int(years[0]) <= today.year + 1)
    ):
        raise RecordYearInvalid(first=EARLIEST_YEAR, last=today.year + 1, example=today.year)
    return RecordRequest(name=name, year=int(years[0]) if years else today.year)


def own_record(actor: Actor, request: RecordRequest) -> RecordTarget | None:
    """The actor's own record when they asked for it, else None: a staff search follows.

    A representative naming anyone but themselves is refused: they get only their own. Staff
    who name someone are always searched for, even under their own name (a namesake may be meant).
    """
    # Only a representative has a record of their own: staff on the roster without a mandate
    # asking with no name are told how to ask for someone's.
    represents = Role.representative in actor.roles
    own = (
        RecordTarget(actor.person_id, request.year, None)
        if represents and actor.person_id
        else None
    )
    if own is not None and not request.name:
        return own
    if not actor.is_staff:
        if own is not None and clean_name(request.name) == clean_name(actor.name or ""):
            return own
        raise PermissionDenied(ONLY_OWN, year=request.year)
    if not request.name:
        raise BadInput(USAGE, year=request.year)
    return None


async def staff_target(
    *, session: AsyncSession, actor: Actor, person_id: int, year: int
) -> RecordTarget:
    """Someone's record for a staff member: only within scope, and the viewing is audited."""
    if not actor.is_staff:
        raise NotFound()
    if actor.person_id == person_id:
        return RecordTarget(person_id, year, None)
    try:
        await ensure_person_in_scope(session=session, person_id=person_id, scope=actor.scope)
    except (NotFound, PersonNotInScope) as exc:
        raise NotFound() from exc
    await record_audit(
        session=session,
        actor_telegram_id=actor.telegram_id,
        action="record.view",
        target=f"person:{person_id}",
        details={"year": year},
    )
    return RecordTarget(person_id, year, actor.scope)
