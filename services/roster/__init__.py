"""Roster spreadsheets (CSV or XLSX) parsed into validated rows, with no database or chat code.

Reasons and warnings are English msgids with ``.format()`` parameters, translated by the caller.
"""

from services.roster.models import (
    FILE_LEVEL,
    Level,
    Role,
    RosterParseResult,
    RosterRow,
    RowError,
    RowWarning,
)
from services.roster.parse import parse_roster

__all__ = [
    "FILE_LEVEL",
    "Level",
    "Role",
    "RosterParseResult",
    "RosterRow",
    "RowError",
    "RowWarning",
    "parse_roster",
]
