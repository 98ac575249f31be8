"""What an import changes, decided row by row without writing anything.

Every check of a row runs before any of its effects, so a rejected row leaves no trace in the plan
(the rules themselves are listed in ``services.roster.importer``).
"""

from __future__ import annotations

from services.i18n_marks import N_
from services.roster.changes import FieldChange, RowChange
from services.roster.errors import RosterProblem
from services.roster.index import RosterIndex
from services.roster.models import RosterRow, RowError, RowWarning
from services.roster.scope import Authority, kept_warning, visible_part
from services.roster.writes import Diff, PlannedWrites
from storage.models import Delegation, Group, Person, Station
from storage.roster import RosterSnapshot
from storage.types import utcnow

# Mandate.roster_id and Person.staff_code hold at most this many characters.
ID_LIMIT = 64


class Plan:
    def __init__(self, snapshot: RosterSnapshot, authority: Authority) -> None:
        visible = visible_part(snapshot, authority)
        self.index = RosterIndex(visible.snapshot)
        self.guarded = visible.guarded
        self.scope = authority.scope
        self.admin = authority.admin
        self.writes = PlannedWrites()
        self.changes: list[RowChange] = []
        self.errors: list[RowError] = []
        self.warnings: list[RowWarning] = []
        self.created = self.updated = self.unchanged = 0
        self.new_delegations: list[str] = []
        self.new_groups = self.new_stations = 0
        self.new_people: list[tuple[Person, RosterRow]] = []
        # Keyed by id(row), like the index.
        self.claimed: dict[int, RosterRow] = {}
        self.admins: set[int] = set()
        self.touched_people: set[int] = set()
        self.touched_delegations: set[str] = set()
        self._phone_rows: dict[int, RosterRow] = {}

    def count(self, row: RosterRow, *, created: bool, fields: list[FieldChange]) -> None:
        if created:
            self.created += 1
        elif fields:
            self.updated += 1
        else:
            self.unchanged += 1
            return
        shown = () if created else tuple(fields)
        self.changes.append(
            RowChange(row.row_number, row.name, row.delegation, row.role, created, shown)
        )

    def check_delegation(self, row: RosterRow) -> Delegation | None:
        """The row's delegation, None when the import is to add it; raises when the row may not.

        Delegations outside the scope are not in the index, so a delegation that exists outside
        it and one that does not exist at all get the same answer.
        """
        delegation = self.index.delegations.get(row.delegation)
        params = {"delegation": row.delegation}
        if delegation is None and self.scope is not None:
            raise RosterProblem(N_("The delegation {delegation} is not in your scope."), params)
        if delegation is None and not self.admin:
            message = N_(
                "The delegation {delegation} does not exist, "
                "and only an administrator can add delegations."
            )
            raise RosterProblem(message, params)
        if delegation is not None and delegation.level != row.level:
            message = N_("The row's level differs from the level of the delegation {delegation}.")
            raise RosterProblem(message, params)
        return delegation

    def check_id(self, row: RosterRow) -> None:
        if row.external_id is not None and len(row.external_id) > ID_LIMIT:
            raise RosterProblem(
                N_("The id {id} has more than {limit} characters."),
                {"id": row.external_id, "limit": ID_LIMIT},
            )

    def delegation(self, row: RosterRow, found: Delegation | None) -> Delegation:
        if found is not None:
            return found
        delegation = Delegation(name=row.delegation, level=row.level)
        self.index.delegations[row.delegation] = delegation
        self.new_delegations.append(row.delegation)
        self.writes.insert(delegation, self.writes.delegations)
        return delegation

    def group(self, delegation: Delegation, name: str | None) -> Group | None:
        if name is None:
            return None
        key = (delegation.name, name)
        group = self.index.groups.get(key)
        if group is None:
            # The delegation id is filled in from the link once the delegation is written.
            group = self.index.groups[key] = Group(name=name, delegation_id=0)
            self.writes.insert(group, self.writes.places, links={"delegation_id": delegation})
            self.new_groups += 1
        return group

    def station(self, delegation: Delegation, name: str | None) -> Station | None:
        if name is None:
            return None
        station = self.index.stations.get(name)
        if station is None:
            station = self.index.stations[name] = Station(name=name)
            self.writes.insert(station, self.writes.places, links={"delegation_id": delegation})
            self.new_stations += 1
        return station

    def new_person(self, row: RosterRow, *, staff_code: str | None = None) -> Person:
        person = Person(name=row.name, phone=row.phone, staff_code=staff_code)
        self.index.add_person(person)
        self.writes.insert(person, self.writes.people)
        self.new_people.append((person, row))
        self.touch_person(person, row)
        return person

    def touch_person(self, person: Person, row: RosterRow) -> Diff:
        """Give the person the row's name and phone; returns what that changes.

        An empty phone cell keeps the stored number; when rows disagree, the first phone wins.
        """
        self.touched_people.add(id(person))
        if person.id is not None and person.id in self.guarded:
            self.warnings.extend(kept_warning(person, row))
            return {}
        values: dict[str, object] = {"name": row.name}
        first = self._phone_rows.setdefault(id(person), row) if row.phone else None
        if first is not None and first is not row and first.phone != row.phone:
            message = N_(
                "Rows {first_row} and {row} give {name} different phone numbers; "
                "the one in row {first_row} was kept."
            )
            params: dict[str, str | int] = {
                "first_row": first.row_number,
                "row": row.row_number,
                "name": row.name,
            }
            self.warnings.append(RowWarning(row.row_number, message, params))
        elif first is row:
            values["phone"] = row.phone
        diff = self.writes.update(person, self.writes.people, values)
        if diff:
            self.writes.update(person, self.writes.people, {"updated_at": utcnow()})
        return diff
