"""Who an import adds and what it changes for whom (field: old → new), for previews and the audit.

Values are kept as plain text, yes/no or nothing, so that the chat, the command line, the attached
CSV file and the audit log can all show them without knowing the tables.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum

from services.i18n_marks import N_
from services.roster.models import Role
from services.roster.writes import Diff

# An empty cell is None; True and False are shown as yes and no in the reader's language.
Shown = str | bool | None

# Every column an import updates, in the order they are listed (timestamps are not shown).
FIELD_LABELS: Mapping[str, str] = {
    "name": N_("name"),
    "phone": N_("phone"),
    "roster_id": N_("representative id"),
    "staff_code": N_("staff id"),
    "delegation_id": N_("delegation"),
    "level": N_("level"),
    "term_number": N_("term"),
    "term_start": N_("term start"),
    "term_end": N_("term end"),
    "group_id": N_("group"),
    "is_group_leader": N_("group leader"),
    "station_id": N_("station"),
    "active": N_("active"),
    "role": N_("role"),
    "all_delegations": N_("all delegations"),
    "scope": N_("scope"),
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str  # a msgid from FIELD_LABELS
    old: Shown
    new: Shown


@dataclass(frozen=True, slots=True)
class RowChange:
    """One valid row that adds someone (``created``) or changes an entry."""

    row: int
    name: str
    delegation: str
    role: Role
    created: bool
    fields: tuple[FieldChange, ...] = ()

    def audit(self) -> dict[str, object]:
        """The change as JSON for the audit log."""
        return {
            "row": self.row,
            "name": self.name,
            "delegation": self.delegation,
            "role": self.role.value,
            "created": self.created,
            "fields": {c.field: [c.old, c.new] for c in self.fields},
        }


def shown(value: object, names: Callable[[int], str | None] | None = None) -> Shown:
    """A stored or planned value as staff read it; ``names`` turns a stored id into a name."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return names(value) if names is not None else str(value)
    # A group, station or delegation, stored or added by this import.
    name = getattr(value, "name", None)
    return name if isinstance(name, str) else str(value)


def field_changes(
    diff: Diff, names: Mapping[str, Callable[[int], str | None]] | None = None
) -> list[FieldChange]:
    """The shown columns of a planned update, in FIELD_LABELS order."""
    lookups = names or {}
    return [
        FieldChange(
            label,
            shown(diff[column][0], lookups.get(column)),
            shown(diff[column][1], lookups.get(column)),
        )
        for column, label in FIELD_LABELS.items()
        if column in diff and diff[column][0] != diff[column][1]
    ]
