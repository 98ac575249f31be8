"""Staff and admin rows: a person with a staff role, scoped to the row's delegation.

Only an administrator (or the command line) may create or change staff and admin roles through
a file; anyone else gets the same error for every such row, whoever the row names.
"""

from __future__ import annotations

from services.i18n_marks import N_
from services.roster.changes import FieldChange, field_changes
from services.roster.errors import RosterProblem
from services.roster.models import Role, RosterRow
from services.roster.plan import Plan
from services.roster.writes import Linked
from storage.models import Person, StaffMember, StaffRole, StaffScope

ADMIN_ONLY = N_("Only an administrator can import staff or administrators.")


def plan_staff(plan: Plan, row: RosterRow) -> None:
    if not plan.admin:
        raise RosterProblem(ADMIN_ONLY)
    found = plan.check_delegation(row)
    plan.check_id(row)
    person = _find_person(plan, row)
    staff = plan.index.staff_of.get(id(person)) if person is not None else None
    delegation = plan.delegation(row, found)
    writes = plan.writes
    diff = {}
    if person is None:
        person = plan.new_person(row, staff_code=row.external_id)
    else:
        diff = plan.touch_person(person, row)
        if row.external_id is not None and person.staff_code is None:
            diff |= writes.update(person, writes.people, {"staff_code": row.external_id})
            plan.index.by_staff_code[row.external_id] = person
    created = staff is None
    if staff is None:
        staff = StaffMember(role=StaffRole.staff)
        writes.insert(staff, writes.members, links={"person_id": person})
    # Any row naming the person an admin makes them one. A roster never narrows a staff member's
    # scope (that is `admin grant`): it only adds the row's delegation.
    if row.role is Role.ADMIN:
        plan.admins.add(id(person))
    values: dict[str, object] = {"role": StaffRole.staff}
    if id(person) in plan.admins:
        values = {"role": StaffRole.admin, "all_delegations": True}
    elif staff.role == StaffRole.admin:
        values["all_delegations"] = False
    diff |= writes.update(staff, writes.members, values)
    fields = field_changes(diff)
    if (id(staff), row.delegation) not in plan.index.scopes:
        links: dict[str, Linked] = {"staff_id": staff, "delegation_id": delegation}
        writes.bulk_insert(writes.scopes, StaffScope, {}, links)
        fields.append(FieldChange("scope", None, row.delegation))
    plan.index.add_staff(staff, person, row.delegation)
    plan.count(row, created=created, fields=fields)


def _find_person(plan: Plan, row: RosterRow) -> Person | None:
    """By staff code (the id column), else by name within the delegation, else by name and phone."""
    index = plan.index
    if row.external_id is not None and row.external_id in index.by_staff_code:
        return index.by_staff_code[row.external_id]
    found = index.staff_by_name.get((row.name, row.delegation))
    if found is None and row.phone:
        found = index.by_name_phone.get((row.name, row.phone))
    # Someone holding another staff code is another person.
    if found is not None and None not in (found.staff_code, row.external_id):
        return None
    return found
