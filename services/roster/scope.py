"""What of the stored roster an upload may see: the uploader's delegations and nothing else.

A roster file is matched only against people within the uploader's scope, so that a row can
neither reach nor reveal anyone outside it: the plan is made from a snapshot that holds only the
delegations in scope, their groups, their mandates and the people holding them. A row that matches
no one there is a new person in scope, whoever exists elsewhere with that name, phone or id, and
the preview, warnings and errors are the same whether or not such a look-alike exists.

Stations are the exception: a station receives representatives of every level, its name is unique
nationwide, and it is a public place rather than a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.i18n_marks import N_
from services.roster.models import RosterRow, RowWarning
from storage.models import Person
from storage.roster import RosterSnapshot


@dataclass(frozen=True)
class Authority:
    """Who uploads: ``scope`` None is every delegation; ``admin`` may change staff and admins."""

    scope: frozenset[int] | None
    admin: bool


@dataclass(frozen=True)
class Visible:
    snapshot: RosterSnapshot
    # People in view whose name and phone the uploader may not change: they are also staff, or
    # also hold a mandate outside the scope, where other staff rely on them.
    guarded: frozenset[int]


def visible_part(snapshot: RosterSnapshot, authority: Authority) -> Visible:
    if authority.admin:
        return Visible(snapshot, frozenset())
    staff_people = {s.person_id for s in snapshot.staff if s.person_id is not None}
    scope = authority.scope
    if scope is None:
        return Visible(snapshot, frozenset(staff_people))
    mandates = [m for m in snapshot.mandates if m.delegation_id in scope]
    in_view = {m.person_id for m in mandates}
    elsewhere = {m.person_id for m in snapshot.mandates if m.delegation_id not in scope}
    visible = RosterSnapshot(
        delegations=[d for d in snapshot.delegations if d.id in scope],
        groups=[g for g in snapshot.groups if g.delegation_id in scope],
        stations=snapshot.stations,
        people=[p for p in snapshot.people if p.id in in_view],
        mandates=mandates,
        # Staff rows are for admins only, so the staff tables play no part in a scoped upload.
        staff=[],
        scopes=[],
    )
    return Visible(visible, frozenset(in_view & (staff_people | elsewhere)))


def kept_warning(person: Person, row: RosterRow) -> list[RowWarning]:
    """Why a guarded person's name and phone stay as they are, when the row would change them."""
    if row.name == person.name and row.phone in (None, person.phone):
        return []
    # Why they are guarded (another delegation, a staff role) is not said: it lies outside
    # what the uploader may see.
    message = N_(
        "The name and phone number of {name} were kept: for this entry, only an administrator "
        "can change them."
    )
    return [RowWarning(row.row_number, message, {"name": person.name})]
