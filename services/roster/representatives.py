"""Representative rows: each one is a mandate of a person at one level (rules: importer.py)."""

from __future__ import annotations

from services.i18n_marks import N_
from services.roster.changes import field_changes
from services.roster.errors import RosterProblem
from services.roster.index import AnyMandate, mandate_value
from services.roster.models import RosterRow
from services.roster.plan import Plan
from services.roster.writes import Linked
from storage.models import Mandate, Person

# Empty cells in these columns keep what is stored. The group and the station follow the file, so
# that a representative can leave them.
_KEPT_WHEN_EMPTY = ("term_start", "term_end", "roster_id")


def plan_representative(plan: Plan, row: RosterRow) -> None:
    found = plan.check_delegation(row)
    plan.check_id(row)
    mandate = _find_mandate(plan, row)
    delegation = plan.delegation(row, found)
    plan.touched_delegations.add(row.delegation)
    links: dict[str, Linked] = {
        "delegation_id": delegation,
        "group_id": plan.group(delegation, row.group),
        "station_id": plan.station(delegation, row.station),
    }
    values: dict[str, object] = {
        "level": row.level,
        "term_number": row.term,
        "term_start": row.term_start,
        "term_end": row.term_end,
        "is_group_leader": row.is_group_leader,
        "roster_id": row.external_id,
        "active": True,
    }
    if mandate is None:
        person = _person_for(plan, row)
        links["person_id"] = person
        new = plan.writes.bulk_insert(plan.writes.members, Mandate, values, links)
        plan.index.add_mandate(new, person, row.delegation)
        plan.claimed[id(new)] = row
        plan.touch_person(person, row)
        plan.count(row, created=True, fields=[])
        return
    plan.claimed[id(mandate)] = row
    if row.external_id is not None:
        plan.index.by_roster_id[(row.delegation, row.level.value, row.external_id)] = mandate
    values = {k: v for k, v in values.items() if v is not None or k not in _KEPT_WHEN_EMPTY}
    diff = plan.touch_person(plan.index.owner[id(mandate)], row)
    diff |= plan.writes.update(mandate, plan.writes.members, values, links)
    index = plan.index
    names = {
        "delegation_id": index.delegation_names.get,
        "group_id": index.group_names.get,
        "station_id": index.station_names.get,
    }
    plan.count(row, created=False, fields=field_changes(diff, names))


def _find_mandate(plan: Plan, row: RosterRow) -> Mandate | None:
    """The row's mandate in its own delegation: by id, else by name among those without an id.

    Only the uploader's scope is indexed (services.roster.scope), so nothing outside it is found.
    """
    index = plan.index
    roster_id = row.external_id
    mandate: AnyMandate | None = None
    if roster_id is not None:
        mandate = index.by_roster_id.get((row.delegation, row.level.value, roster_id))
    if mandate is None:
        candidates = index.by_name.get((row.level.value, row.name, row.delegation), [])
        if roster_id is not None:
            # A stored mandate with another id is someone else of the same name.
            candidates = [m for m in candidates if mandate_value(m, "roster_id") is None]
        if len(candidates) > 1:
            message = N_(
                "Several representatives named {name} belong to {delegation}; "
                "add their representative ids to tell them apart."
            )
            raise RosterProblem(message, {"name": row.name, "delegation": row.delegation})
        mandate = candidates[0] if candidates else None
    if mandate is None:
        return None
    if (first := plan.claimed.get(id(mandate))) is not None:
        message = N_("{name} matches the same entry as row {first_row}; remove one of the rows.")
        raise RosterProblem(message, {"name": row.name, "first_row": first.row_number})
    # Every mandate this import adds is claimed by its row as it is added.
    assert isinstance(mandate, Mandate)  # noqa: S101
    return mandate


def _person_for(plan: Plan, row: RosterRow) -> Person:
    """Same name and same phone is the same person: one representative at two levels."""
    found = plan.index.by_name_phone.get((row.name, row.phone)) if row.phone else None
    return found if found is not None else plan.new_person(row)
