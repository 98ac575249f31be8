"""The writes an import plans, grouped in the stages ``storage.roster.apply_writes`` flushes."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import SQLModel

from storage.models import Delegation, Group, Person, StaffMember, Station
from storage.roster import BulkInsert, Step, Write

Linked = Delegation | Group | Station | Person | StaffMember | None
# Column name -> (before, after) of one planned update.
Diff = dict[str, tuple[object, object]]


class PlannedWrites:
    def __init__(self) -> None:
        # Flushed in this order, each stage pointing only at rows of the stages before it.
        self.delegations: list[Step] = []
        self.places: list[Step] = []
        self.people: list[Step] = []
        self.members: list[Step] = []
        self.scopes: list[Step] = []
        # Keyed by id(row): table rows are not hashable (see services.roster.index).
        self._by_row: dict[int, Write] = {}

    @property
    def stages(self) -> list[list[Step]]:
        return [self.delegations, self.places, self.people, self.members, self.scopes]

    def insert(
        self, row: SQLModel, stage: list[Step], links: Mapping[str, Linked] | None = None
    ) -> None:
        write = self._by_row[id(row)] = Write(row, new=True, links=dict(links or {}))
        stage.append(write)

    def bulk_insert(
        self,
        stage: list[Step],
        table: type[SQLModel],
        values: Mapping[str, object],
        links: Mapping[str, Linked],
    ) -> BulkInsert:
        """A row nothing will point at; every row of one table must give the same columns."""
        step = BulkInsert(table, dict(values), dict(links))
        stage.append(step)
        return step

    def update(
        self,
        row: SQLModel,
        stage: list[Step],
        values: Mapping[str, object],
        links: Mapping[str, Linked] | None = None,
    ) -> Diff:
        """Record the values and links that differ from the row as planned so far.

        Returns them with what they were before: empty when a row asks for what an earlier row
        already planned. A link's old value is the row it pointed at in this plan, else the
        stored id.
        """
        write = self._by_row.get(id(row))
        planned_values = write.values if write is not None else {}
        planned_links = write.links if write is not None else {}
        diff: Diff = {}
        for name, value in values.items():
            old = planned_values.get(name, getattr(row, name))
            if old != value:
                diff[name] = (old, value)
        changed_links: dict[str, Linked] = {}
        for name, target in (links or {}).items():
            if name in planned_links:
                old = planned_links[name]
                changed = old is not target
            else:
                old = getattr(row, name)
                changed = _differs(old, target)
            if changed:
                changed_links[name] = target
                diff[name] = (old, target)
        if not diff:
            return diff
        if write is None:
            write = self._by_row[id(row)] = Write(row, new=False)
            stage.append(write)
        write.values.update({name: diff[name][1] for name in values if name in diff})
        write.links.update(changed_links)
        return diff


def _differs(current: object, target: Linked) -> bool:
    if target is None:
        return current is not None
    # A row this import adds has no id yet, and nothing stored can point at it.
    return target.id is None or target.id != current
