"""Which units a person may report on: staff their delegations' units, a group leader the
groups they lead (a staff member who leads a group outside their scope: both). A unit out of
reach gets the same answer as no unit at all."""

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
    """Every unit of the kind ``actor`` may report on, by name: staff their scope's, and a
    group leader (staff or not) the groups they lead as well."""
    if actor is not None and not may_report(actor):
        raise PermissionDenied()
    led: frozenset[int] = frozenset()
    if actor is not None and kind is UnitKind.group and actor.person_id is not None:
        led = frozenset(await led_group_ids(session=session, person_id=actor.person_id))
    # The command line reaches every unit; a group leader who is not staff only theirs.
    scope = None if actor is None else actor.scope if actor.is_staff else frozenset[int]()
    rows = await list_unit_rows(
        session=session, kind=kind.value, delegation_ids=scope, also_ids=led
    )
    return [Unit(kind, row[0], row[1], row[2]) for row in rows]
