"""The stored roster indexed the ways a roster row looks it up, growing with what the import adds.

Table rows are not hashable, and a row added by this import has no id yet, so rows are keyed by
``id(row)``: every stored row is one object in the session's identity map, and the snapshot and
the plan keep all of them alive for the whole import.
"""

from __future__ import annotations

from collections import defaultdict

from storage.models import Delegation, Group, Mandate, Person, StaffMember, Station
from storage.roster import BulkInsert, RosterSnapshot

# (level, person name, delegation name): how a row without a representative id finds its mandate.
NameKey = tuple[str, str, str]
# (delegation name, level, representative id): ids are issued per delegation and level.
IdKey = tuple[str, str, str]
# A stored mandate, or one this import adds.
AnyMandate = Mandate | BulkInsert


def mandate_value(mandate: AnyMandate, name: str) -> object:
    return mandate.values[name] if isinstance(mandate, BulkInsert) else getattr(mandate, name)


class RosterIndex:
    def __init__(self, snapshot: RosterSnapshot) -> None:
        delegation_names: dict[int | None, str] = {d.id: d.name for d in snapshot.delegations}
        self.delegations: dict[str, Delegation] = {d.name: d for d in snapshot.delegations}
        self.groups: dict[tuple[str, str], Group] = {
            (delegation_names[g.delegation_id], g.name): g for g in snapshot.groups
        }
        self.stations: dict[str, Station] = {s.name: s for s in snapshot.stations}
        # Stored ids to names, to show what a mandate's links were before.
        self.delegation_names: dict[int | None, str] = delegation_names
        self.group_names: dict[int | None, str] = {g.id: g.name for g in snapshot.groups}
        self.station_names: dict[int | None, str] = {s.id: s.name for s in snapshot.stations}
        self.people: dict[int | None, Person] = {p.id: p for p in snapshot.people}
        self.stored_names: dict[str, list[Person]] = defaultdict(list)
        self.by_name_phone: dict[tuple[str, str], Person] = {}
        self.by_staff_code: dict[str, Person] = {}
        for person in snapshot.people:
            self.stored_names[person.name].append(person)
            self.add_person(person)
        self.stored_mandates = snapshot.mandates
        self.owner: dict[int, Person] = {}
        self.delegation_of: dict[int, str] = {}
        self.by_roster_id: dict[IdKey, AnyMandate] = {}
        self.by_name: dict[NameKey, list[AnyMandate]] = defaultdict(list)
        for mandate in snapshot.mandates:
            person = self.people[mandate.person_id]
            self.add_mandate(mandate, person, delegation_names[mandate.delegation_id])
        staff_by_id = {s.id: s for s in snapshot.staff}
        self.staff_of: dict[int, StaffMember] = {
            id(self.people[s.person_id]): s for s in snapshot.staff if s.person_id is not None
        }
        # (staff member, delegation name); a staff row without an id finds its person through it.
        self.scopes: set[tuple[int, str]] = set()
        self.staff_by_name: dict[tuple[str, str], Person] = {}
        for scope in snapshot.scopes:
            staff = staff_by_id[scope.staff_id]
            delegation = delegation_names[scope.delegation_id]
            self.scopes.add((id(staff), delegation))
            if staff.person_id is not None:
                person = self.people[staff.person_id]
                self.staff_by_name.setdefault((person.name, delegation), person)

    def add_person(self, person: Person) -> None:
        if person.phone:
            # Two stored people with one name and phone: the older one is the likelier original.
            self.by_name_phone.setdefault((person.name, person.phone), person)
        if person.staff_code:
            self.by_staff_code[person.staff_code] = person

    def add_mandate(self, mandate: AnyMandate, person: Person, delegation: str) -> None:
        self.owner[id(mandate)] = person
        self.delegation_of[id(mandate)] = delegation
        level = str(mandate_value(mandate, "level"))
        roster_id = mandate_value(mandate, "roster_id")
        if isinstance(roster_id, str):
            self.by_roster_id[(delegation, level, roster_id)] = mandate
        self.by_name[(level, person.name, delegation)].append(mandate)

    def add_staff(self, staff: StaffMember, person: Person, delegation: str) -> None:
        self.staff_of[id(person)] = staff
        self.scopes.add((id(staff), delegation))
        self.staff_by_name.setdefault((person.name, delegation), person)
