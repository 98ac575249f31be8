"""Quick entry: `/log 视察 2024-03-15 洛阳博物馆 文旅文创融合调研` read into an activity's parts.

Words are separated by any whitespace (full-width too) and may come in any order:
- the type: the first word decides when it is a type or starts with one: a run of words from
  the first that is exactly a type's Chinese or English name or an alias (case-insensitive; where
  several start there, the longest wins, so `Law-enforcement inspection` is not `Inspection`), or
  else a first word that begins with a Chinese type name, because Chinese is typed without
  spaces: `视察洛阳博物馆` is the type 视察 and the word 洛阳博物馆, whatever later words say.
  Otherwise the type is the first run of words, anywhere, that is exactly a type's name. Later
  words are not searched inside (a summary `学习贯彻…` names no type), nor are English names
  (`reports` is no `report`);
- the date is the first word that parses as one (services.dates); a word shaped like a date that
  does not parse (`2024-02-30`, `13月1日`) is taken as the date and reported in ``date_error``;
- of the words left, in order: two or more are the place and then the summary; one is the summary.
Whatever is missing stays None for the flow to ask. Whether the day may be logged (not in the
future, within the term) is checked by the flow, as for a typed date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.dates import DateError, normalize, parse_date
from storage.duty_models import ActivityType

# Digits with date separators, or "上周X": meant as a date even when it is not a valid one.
_DATE_SHAPED = re.compile(r"(?=.*\d)(?=.*\D)[\d\-/.。、年月日号]+|上(?:周|星期|礼拜).")


@dataclass(frozen=True)
class TypeWords:
    """The words that name one activity type, folded for matching."""

    type_id: int
    words: tuple[str, ...]


@dataclass(frozen=True)
class QuickEntry:
    type_id: int | None
    day: date | None
    place: str | None
    summary: str | None
    date_error: DateError | None


def _fold(word: str) -> str:
    return normalize(word).casefold()


def type_words(types: Sequence[ActivityType]) -> list[TypeWords]:
    """Each type's Chinese and English names and its aliases."""
    found = []
    for kind in types:
        if kind.id is None:
            continue
        words = (_fold(word) for word in (kind.name_zh, kind.name_en, *kind.aliases))
        found.append(TypeWords(kind.id, tuple(dict.fromkeys(word for word in words if word))))
    return found


@dataclass(frozen=True)
class _Match:
    type_id: int
    start: int
    end: int
    rest: str  # what follows a Chinese type name run together with it


def _lookup(types: Sequence[TypeWords]) -> dict[str, int]:
    table: dict[str, int] = {}
    for entry in types:
        for word in entry.words:
            # A word two types share names the first of them (the types' own order).
            table.setdefault(word, entry.type_id)
    return table


def _exact_at(tokens: list[str], start: int, table: dict[str, int]) -> _Match | None:
    """The longest run of words from `start` that is exactly a type's name."""
    longest = max((word.count(" ") + 1 for word in table), default=0)
    for end in range(min(len(tokens), start + longest), start, -1):
        if (type_id := table.get(" ".join(tokens[start:end]).casefold())) is not None:
            return _Match(type_id, start, end, "")
    return None


def _run_into_first(tokens: list[str], table: dict[str, int]) -> _Match | None:
    """A Chinese type name the first word begins with; longest first (接待群众, not 接待)."""
    if not tokens:
        return None
    chinese = sorted((word for word in table if not word[-1].isascii()), key=len, reverse=True)
    first = tokens[0].casefold()
    word = next((word for word in chinese if first.startswith(word)), None)
    return None if word is None else _Match(table[word], 0, 1, tokens[0][len(word) :])


def _find_type(tokens: list[str], table: dict[str, int], *, first_only: bool) -> _Match | None:
    """The first word decides if it is or starts with a type; otherwise, unless `first_only`,
    the first type name standing as words of its own."""
    if tokens and (match := _exact_at(tokens, 0, table) or _run_into_first(tokens, table)):
        return match
    if first_only:
        return None
    return next(
        (match for start in range(1, len(tokens)) if (match := _exact_at(tokens, start, table))),
        None,
    )


def starts_with_type(text: str, types: Sequence[TypeWords]) -> int | None:
    """The type a free text begins with (its first words, or a Chinese name run into them)."""
    match = _find_type(normalize(text).split(), _lookup(types), first_only=True)
    return None if match is None else match.type_id


def parse_quick(text: str, *, types: Sequence[TypeWords], today: date) -> QuickEntry:
    tokens = normalize(text).split()
    type_id = None
    if (match := _find_type(tokens, _lookup(types), first_only=False)) is not None:
        type_id = match.type_id
        tokens[match.start : match.end] = [match.rest] if match.rest else []
    day, date_error, tokens = _take_date(tokens, today)
    place = tokens[0] if len(tokens) >= 2 else None
    summary = " ".join(tokens[1:] if place else tokens) or None
    return QuickEntry(type_id, day, place, summary, date_error)


def _take_date(tokens: list[str], today: date) -> tuple[date | None, DateError | None, list[str]]:
    shaped: tuple[int, DateError] | None = None
    for index, token in enumerate(tokens):
        try:
            day = parse_date(token, today=today)
        except DateError as error:
            if shaped is None and _DATE_SHAPED.fullmatch(token):
                shaped = (index, error)
            continue
        return day, None, tokens[:index] + tokens[index + 1 :]
    if shaped is None:
        return None, None, tokens
    index, first_error = shaped
    return None, first_error, tokens[:index] + tokens[index + 1 :]
