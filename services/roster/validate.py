"""Turns one data row into a ``RosterRow``, collecting every reason it is bad at once."""

from collections.abc import Callable, Sequence
from datetime import date
from typing import TypeVar

from services.i18n_marks import N_
from services.roster import cells
from services.roster.errors import CellProblem
from services.roster.grid import CellValue
from services.roster.headers import Column, HeaderMap
from services.roster.models import Params, Role, RosterRow, RowError
from services.roster.terms import term_number, term_range, to_date

NAME_LIMIT = 64
TEXT_LIMIT = 128

T = TypeVar("T")


class _Row:
    def __init__(self, number: int, values: Sequence[CellValue], header: HeaderMap) -> None:
        self.number = number
        self.values = values
        self.header = header
        self.errors: list[RowError] = []
        self.failed: set[Column] = set()

    def get(self, column: Column, convert: Callable[[CellValue], T], default: T) -> T:
        index = self.header.positions.get(column)
        # CSV lines may be shorter than the header when their trailing cells are empty.
        if index is None or index >= len(self.values):
            return default
        try:
            return convert(self.values[index])
        except CellProblem as problem:
            self.fail(column, problem.message, problem.params)
            return default

    def text(self, column: Column, *, limit: int = TEXT_LIMIT) -> str | None:
        value = self.get(column, cells.name if column is Column.NAME else cells.text, None)
        if value is not None and len(value) > limit:
            message = N_("The {column} cell has {length} characters; at most {limit} are allowed.")
            self.fail(column, message, {"length": len(value), "limit": limit})
            return None
        return value

    def require(self, column: Column, value: T | None) -> T | None:
        # A cell that already failed has its own reason; "empty" would only add noise.
        if value is None and column not in self.failed:
            self.fail(column, N_("The {column} cell is empty; it is required."))
        return value

    def fail(self, column: Column, message: str, params: Params | None = None) -> None:
        title = self.header.titles.get(column, column.value)
        self.errors.append(RowError(self.number, message, {**(params or {}), "column": title}))
        self.failed.add(column)


def validate_row(
    number: int, values: Sequence[CellValue], header: HeaderMap
) -> RosterRow | list[RowError]:
    row = _Row(number, values, header)
    name = row.require(Column.NAME, row.text(Column.NAME, limit=NAME_LIMIT))
    external_id = row.text(Column.EXTERNAL_ID)
    level = row.require(Column.LEVEL, row.get(Column.LEVEL, cells.level, None))
    role = row.get(Column.ROLE, cells.role, Role.REPRESENTATIVE)
    term = row.get(Column.TERM, term_number, None)
    # A term belongs to a mandate; staff and admins hold none.
    if role is Role.REPRESENTATIVE:
        term = row.require(Column.TERM, term)
    delegation = row.require(Column.DELEGATION, row.text(Column.DELEGATION))
    group = row.text(Column.GROUP)
    is_leader = row.get(Column.LEADER, cells.leader, False)
    if is_leader and group is None and Column.GROUP not in row.failed:
        row.fail(Column.LEADER, N_("The row marks a group leader but names no group."))
    no_dates: tuple[date | None, date | None] = (None, None)
    start, end = row.get(Column.TERM_DATES, term_range, no_dates)
    # Separate start and end columns, when filled, are more specific than a combined cell.
    start = row.get(Column.TERM_START, to_date, None) or start
    end = row.get(Column.TERM_END, to_date, None) or end
    if start and end and end < start:
        column = Column.TERM_END if Column.TERM_END in header.positions else Column.TERM_DATES
        message = N_("The term ends on {end}, before it starts on {start}.")
        row.fail(column, message, {"start": start.isoformat(), "end": end.isoformat()})
    station = row.text(Column.STATION)
    phone = row.get(Column.PHONE, cells.phone, None)
    if row.errors or name is None or level is None or delegation is None:
        return row.errors
    return RosterRow(
        row_number=number,
        external_id=external_id,
        name=name,
        level=level,
        term=term,
        term_start=start,
        term_end=end,
        delegation=delegation,
        group=group,
        is_group_leader=is_leader,
        station=station,
        phone=phone,
        role=role,
    )
