"""Internal exceptions: ``parse_roster`` turns them into ``RowError`` entries, never raises them."""

from services.roster.models import Params


class RosterProblem(Exception):
    """A translatable reason: an ``N_`` msgid plus its ``.format()`` parameters."""

    def __init__(self, message: str, params: Params | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.params: Params = dict(params or {})


class FileProblem(RosterProblem):
    """The file as a whole cannot be read: wrong type, encoding, size or columns."""


class CellProblem(RosterProblem):
    """One cell holds a value that cannot be used."""
