"""Finds the header row and maps its titles, Chinese or English, to roster columns."""

import itertools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from services.i18n_marks import N_
from services.roster.errors import FileProblem
from services.roster.grid import BadCell, CellValue, is_blank
from services.roster.limits import HEADER_SEARCH
from services.roster.models import FILE_LEVEL, RowWarning


class Column(StrEnum):
    NAME = "name"
    EXTERNAL_ID = "external_id"
    LEVEL = "level"
    TERM = "term"
    DELEGATION = "delegation"
    GROUP = "group"
    LEADER = "leader"
    STATION = "station"
    PHONE = "phone"
    ROLE = "role"
    TERM_DATES = "term_dates"
    TERM_START = "term_start"
    TERM_END = "term_end"


REQUIRED = (Column.NAME, Column.DELEGATION, Column.LEVEL, Column.TERM)

# Titles are matched after header_key(); the first one is shown when a required column is missing.
_ALIASES: dict[Column, str] = {
    Column.NAME: "姓名|代表姓名|name|full name|representative name",
    Column.EXTERNAL_ID: "代表证号|代表证编号|代表编号|证号|id|representative id",
    Column.LEVEL: "层级|级别|代表层级|level",
    Column.TERM: "届次|届别|届|term|term number",
    Column.DELEGATION: "代表团|所属代表团|delegation",
    Column.GROUP: "代表小组|小组|所属小组|所属代表小组|group",
    Column.LEADER: "组长|是否组长|小组组长|召集人|leader|group leader|is leader",
    Column.STATION: "联络站|代表联络站|代表工作室|所属联络站|station|liaison station",
    Column.PHONE: "手机|手机号|手机号码|电话|联系电话|phone|mobile|phone number",
    Column.ROLE: "角色|role",
    Column.TERM_DATES: "任期起止|任期|任期起止日期|term dates|term period",
    Column.TERM_START: "任期开始|任期开始日期|任期起|term start|term start date",
    Column.TERM_END: "任期结束|任期结束日期|任期止|term end|term end date",
}

# Notes such as "手机（选填）" or "姓名*" and separators in "Term_Start" do not change the meaning.
_NOISE = re.compile(r"\(.*?\)|\[.*?\]|[\s*_\-.:]")


def header_key(title: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", title).casefold())


_LOOKUP = {
    header_key(alias): column
    for column, aliases in _ALIASES.items()
    for alias in aliases.split("|")
}


@dataclass(frozen=True, slots=True)
class HeaderMap:
    row_number: int
    positions: Mapping[Column, int]
    # The titles as written in the file, so that reasons name the column the way staff know it.
    titles: Mapping[Column, str]


def find_header(
    rows: Sequence[tuple[int, Sequence[CellValue]]],
) -> tuple[HeaderMap, list[RowWarning]]:
    candidates = list(
        itertools.islice(((n, cells) for n, cells in rows if not is_blank(cells)), HEADER_SEARCH)
    )
    if not candidates:
        raise FileProblem(N_("The file has no rows with content."))
    for number, cells in candidates:
        header, unknown, duplicates = _map_titles(number, cells)
        if all(column in header.positions for column in REQUIRED):
            break
    else:
        header, unknown, duplicates = _map_titles(*candidates[0])
        missing = [column for column in REQUIRED if column not in header.positions]
        raise FileProblem(
            N_("The header row lacks the required columns {columns}."),
            {
                "columns": ", ".join(
                    f"{_ALIASES[column].split('|')[0]} ({column.value})" for column in missing
                )
            },
        )
    if duplicates:
        first, second = duplicates[0]
        raise FileProblem(
            N_("The columns {first} and {second} hold the same information; keep one of them."),
            {"first": first, "second": second},
        )
    warnings = [
        RowWarning(
            FILE_LEVEL,
            N_("The column {column} is not a roster column and was ignored."),
            {"column": title},
        )
        for title in unknown
    ]
    if header.row_number != candidates[0][0]:
        warnings.insert(
            0,
            RowWarning(
                FILE_LEVEL,
                N_("The rows above row {row} were taken as a title and skipped."),
                {"row": header.row_number},
            ),
        )
    return header, warnings


def _map_titles(
    number: int, cells: Sequence[CellValue]
) -> tuple[HeaderMap, list[str], list[tuple[str, str]]]:
    positions: dict[Column, int] = {}
    titles: dict[Column, str] = {}
    unknown: list[str] = []
    duplicates: list[tuple[str, str]] = []
    for index, cell in enumerate(cells):
        if cell is None or isinstance(cell, BadCell):
            continue
        title = " ".join(str(cell).split())
        if not title:
            continue
        column = _LOOKUP.get(header_key(title))
        if column is None:
            unknown.append(title)
        elif column in positions:
            duplicates.append((titles[column], title))
        else:
            positions[column] = index
            titles[column] = title
    return HeaderMap(number, positions, titles), unknown, duplicates
