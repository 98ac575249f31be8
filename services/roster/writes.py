"""The writes an import plans, grouped in the stages ``storage.roster.apply_writes`` flushes."""

from __future__ import annotations

from collections.abc import Mapping

from sqlmodel import SQLModel

from storage.models import Delegation, Group, Person, StaffMember, Station
from storage.roster import BulkInsert, Step, Write

Linked = Delegation | Group | Station | Person | StaffMember | None


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
    ) -> bool:
        """Record the values and links that differ from the row as planned so far.

        True when any does: a row asking for what an earlier row already planned changes nothing.
        """
        write = self._by_row.get(id(row))
        planned_values = write.values if write is not None else {}
        planned_links = write.links if write is not None else {}
        changed = {
            name: value
            for name, value in values.items()
            if planned_values.get(name, getattr(row, name)) != value
        }
        changed_links = {
            name: target
            for name, target in (links or {}).items()
            if (
                planned_links[name] is not target
                if name in planned_links
                else _differs(getattr(row, name), target)
            )
        }
        if not changed and not changed_links:
            return False
        if write is None:
            write = self._by_row[id(row)] = Write(row, new=False)
            stage.append(write)
        write.values.update(changed)
        write.links.update(changed_links)
        return True


def _differs(current: object, target: Linked) -> bool:
    if target is None:
        return current is not None
    # A row this import adds has no id yet, and nothing stored can point at it.
    return target.id is None or target.id != current
