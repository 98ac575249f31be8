"""Roster spreadsheets (CSV or XLSX) parsed into validated rows, with no database or chat code.

``parse_roster_file`` is the one to await from the bot: it parses in a worker process, off the
event loop and under memory and time limits. Reasons and warnings are English msgids with
``.format()`` parameters, translated by the caller.
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
from services.roster.worker import parse_roster_file

__all__ = [
    "FILE_LEVEL",
    "Level",
    "Role",
    "RosterParseResult",
    "RosterRow",
    "RowError",
    "RowWarning",
    "parse_roster",
    "parse_roster_file",
]
