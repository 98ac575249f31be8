"""Which units a person may report on: staff their delegations' units, a group leader the
groups they lead. A unit out of reach gets the same answer as no unit at all."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.errors import DomainError, PermissionDenied
from services.i18n_marks import N_
from services.permissions import Role
from services.reports.model import Unit, UnitKind
from storage.reports import led_group_ids, list_unit_rows, unit_row


class UnitNotFound(DomainError):
    message = N_("There is no such group, delegation or station within your reach.")


def may_report(actor: Actor) -> bool:
    return actor.is_staff or Role.group_leader in actor.roles


async def reachable_unit(
    *, session: AsyncSession, actor: Actor | None, kind: UnitKind, unit_id: int
) -> Unit:
    """The unit, checked against ``actor`` (None: the command line, every unit)."""
    if actor is not None and not may_report(actor):
        raise PermissionDenied()
    found = await unit_row(session=session, kind=kind.value, unit_id=unit_id)
    if found is None:
        raise UnitNotFound()
    name, delegation_id = found
    if actor is not None and not await _reaches(session, actor, kind, unit_id, delegation_id):
        raise UnitNotFound()
    return Unit(kind, unit_id, name, delegation_id)


async def _reaches(
    session: AsyncSession, actor: Actor, kind: UnitKind, unit_id: int, delegation_id: int | None
) -> bool:
    if actor.is_staff and (actor.scope is None or delegation_id in actor.scope):
        return True
    if kind is UnitKind.group and actor.person_id is not None:
        return unit_id in await led_group_ids(session=session, person_id=actor.person_id)
    return False


async def reachable_units(
    *, session: AsyncSession, actor: Actor | None, kind: UnitKind
) -> list[Unit]:
    """Every unit of the kind ``actor`` may report on, by name."""
    if actor is not None and not may_report(actor):
        raise PermissionDenied()
    if actor is None or actor.is_staff:
        scope = None if actor is None else actor.scope
        rows = await list_unit_rows(session=session, kind=kind.value, delegation_ids=scope)
        return [Unit(kind, row[0], row[1], row[2]) for row in rows]
    if kind is not UnitKind.group or actor.person_id is None:
        return []
    led = set(await led_group_ids(session=session, person_id=actor.person_id))
    rows = await list_unit_rows(session=session, kind=kind.value, delegation_ids=None)
    return [Unit(kind, row[0], row[1], row[2]) for row in rows if row[0] in led]
