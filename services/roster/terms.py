"""Term numbers (届次) and term dates (任期起止), however Excel or staff wrote them.

Dates are accepted as 2023-01-01, 2023/1/1, 2023.1.1, 2023年1月1日, 20230101, Excel date cells and
Excel serial day numbers; a term range is two of those joined by 至, 到, ~, ～, — or -.
"""

import re
import unicodedata
from datetime import date, datetime, timedelta

from services.i18n_marks import N_
from services.roster.cells import text, usable
from services.roster.errors import CellProblem
from services.roster.grid import CellValue

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_CN_DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100}
_TERM = re.compile(r"第?([0-9]+|[零〇一二两三四五六七八九十百]+)届?")
_MAX_TERM = 999

_YMD = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# Some exports append midnight to date cells: "2023-01-01 00:00:00".
_MIDNIGHT = re.compile(r"\s+0{1,2}:00(?::00)?$")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_SERIAL = re.compile(r"\d{1,5}(?:\.\d+)?")
_RANGE = re.compile(rf"({_YMD}|\d{{8}})\s*(?:至|到|~|—|–|-)+\s*({_YMD}|\d{{8}})")
# Excel counts days from 1899-12-30 (its 1900 leap-year bug shifts only dates before March 1900).
_EXCEL_EPOCH = date(1899, 12, 30)
_LAST_SERIAL = 2_958_465  # 9999-12-31, the last day Excel knows
# Outside these years a date in a roster is a typo (2203 for 2023) or a number read as a date.
_EARLIEST, _LATEST = date(1950, 1, 1), date(2100, 12, 31)


def term_number(value: CellValue) -> int | None:
    """第十四届, 十四届, 第14届, 14届 and 14 are all term 14."""
    raw = text(value)
    if raw is None:
        return None
    match = _TERM.fullmatch("".join(unicodedata.normalize("NFKC", raw).split()))
    number = None
    if match:
        token = match.group(1)
        number = int(token) if token.isascii() else _chinese_number(token)
    if number is None or not 1 <= number <= _MAX_TERM:
        raise CellProblem(N_("The term {value} is not a term number such as 14."), {"value": raw})
    return number


def _chinese_number(token: str) -> int | None:
    total, digit, last_unit = 0, None, _MAX_TERM + 1
    for char in token:
        if char in _CN_DIGITS:
            if digit:  # two digits in a row ("四四") is not a numeral; "零五" is
                return None
            digit = _CN_DIGITS[char]
            continue
        unit = _CN_UNITS[char]
        if unit >= last_unit or digit == 0:
            return None
        # A leading 十 means 一十: 十四 is 14.
        total += (1 if digit is None else digit) * unit
        digit, last_unit = None, unit
    return total + (digit or 0)


def to_date(value: CellValue) -> date | None:
    value = usable(value)
    if isinstance(value, datetime):
        return _in_range(value.date(), value.isoformat())
    if isinstance(value, date):
        return _in_range(value, value.isoformat())
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_number(float(value), text(value) or "")
    raw = text(value)
    if raw is None:
        return None
    return _from_text(unicodedata.normalize("NFKC", raw), raw)


def term_range(value: CellValue) -> tuple[date | None, date | None]:
    """The start and end of a "2023-01-01至2027-12-31" cell; (None, None) when it is empty."""
    raw = text(value)
    if raw is None:
        return None, None
    normal = unicodedata.normalize("NFKC", raw)
    match = _RANGE.fullmatch(normal)
    if match is None:
        raise CellProblem(
            N_("The term dates {value} are not a range such as 2023-01-01 to 2027-12-31."),
            {"value": raw},
        )
    return _from_text(match.group(1), raw), _from_text(match.group(2), raw)


def _from_text(normal: str, raw: str) -> date:
    normal = _MIDNIGHT.sub("", normal.strip())
    if match := _DATE.fullmatch(normal) or _COMPACT.fullmatch(normal):
        year, month, day = (int(part) for part in match.groups())
        return _make(year, month, day, raw)
    if _SERIAL.fullmatch(normal):
        return _from_number(float(normal), raw)
    raise _not_a_date(raw)


def _from_number(number: float, raw: str) -> date:
    if number.is_integer() and 10_000_101 <= number <= 99_991_231:
        # A number like 20230101 typed into a numeric cell.
        whole = int(number)
        return _make(whole // 10_000, whole // 100 % 100, whole % 100, raw)
    if not 1 <= number <= _LAST_SERIAL:
        raise _not_a_date(raw)
    # The fraction of a serial number is the time of day, which a roster does not need.
    return _in_range(_EXCEL_EPOCH + timedelta(days=int(number)), raw)


def _make(year: int, month: int, day: int, raw: str) -> date:
    try:
        return _in_range(date(year, month, day), raw)
    except ValueError as exc:
        raise _not_a_date(raw) from exc


def _in_range(found: date, raw: str) -> date:
    if not _EARLIEST <= found <= _LATEST:
        raise CellProblem(N_("The date {value} is outside the years 1950 to 2100."), {"value": raw})
    return found


def _not_a_date(raw: str) -> CellProblem:
    return CellProblem(N_("{value} is not a date such as 2023-01-01."), {"value": raw})
