"""What a parsed roster file is made of: valid rows, row errors and warnings.

Errors and warnings carry an English msgid marked with ``N_`` and its ``.format()`` parameters,
never a finished sentence: the handler or command line translates them in the reader's language.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from storage.models import Level as Level

# Row number used for problems that concern the whole file (encoding, columns, size).
FILE_LEVEL = 0

Params = Mapping[str, str | int]


class Role(StrEnum):
    REPRESENTATIVE = "representative"
    STAFF = "staff"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class RowError:
    """A reason a row (or, with ``row == 0``, the whole file) cannot be imported."""

    row: int
    message: str
    params: Params = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RowWarning:
    """Something staff should check, which does not stop the import."""

    row: int
    message: str
    params: Params = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One valid roster line: a person's mandate at one level of congress."""

    row_number: int
    external_id: str | None
    name: str
    level: Level
    # None only on staff and admin rows, which need no term.
    term: int | None
    term_start: date | None
    term_end: date | None
    delegation: str
    group: str | None
    is_group_leader: bool
    station: str | None
    phone: str | None
    role: Role

    @property
    def identity_key(self) -> tuple[str, ...]:
        """Which rows describe the same mandate: two in one file are a duplicate.

        The level is part of the key because one person may hold mandates at two levels, and
        representative ids are issued by each congress, so the same id at two levels, or in two
        delegations, is no clash.
        """
        if self.external_id is not None:
            return ("id", self.level.value, self.delegation, self.external_id)
        return ("name", self.level.value, self.name, self.delegation)


@dataclass(frozen=True, slots=True)
class RosterParseResult:
    rows: list[RosterRow]
    errors: list[RowError]
    warnings: list[RowWarning]

    @property
    def ok(self) -> bool:
        """True when every row is valid, so the import can go ahead as a whole."""
        return not self.errors
