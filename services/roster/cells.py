"""Normalisers for text, phone, level, role and leader cells; each raises ``CellProblem``.

Phone rule, kept simple on purpose: a mainland mobile number is 11 digits starting with 1 (spaces,
hyphens and a +86 prefix are dropped); a landline is an area code starting with 0 (3-4 digits), an
optional hyphen, and 7-8 digits, e.g. 0371-12345678. Nothing else is accepted.
"""

import re
import unicodedata
from datetime import date

from services.i18n_marks import N_
from services.roster.errors import CellProblem
from services.roster.grid import BadCell, CellValue
from services.roster.models import Level, Role

_CJK = r"[\u3400-\u9fff\U00020000-\U0003ffff]"
# Chinese lists pad two-character names to the width of three ("王　伟"); the padding is not data.
_NAME_PADDING = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
_FLOAT_TEXT = re.compile(r"(\d+)\.0+")
_SCIENTIFIC = re.compile(r"(\d)(?:\.(\d+))?e\+?(\d+)", re.IGNORECASE)
_MOBILE = re.compile(r"(?:\+?86|0086)?(1\d{10})")
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}")


def _key(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value).casefold().split())


def _table(entries: dict[str, str]) -> dict[str, str]:
    return {_key(word): target for target, words in entries.items() for word in words.split("|")}


_LEVELS = _table(
    {
        Level.national: "national|全国|全国人大",
        Level.province: "province|provincial|省|省级|省人大|自治区|直辖市",
        Level.city: "city|municipal|市|市级|市人大|设区的市|地级市|自治州",
        Level.county: "county|district|县|县级|县人大|区|区级|县区|县(区)|县(市、区)",
        Level.township: "township|town|乡|镇|乡镇|乡级|镇级|乡镇级",
    }
)
_ROLES = _table(
    {
        Role.REPRESENTATIVE: "representative|deputy|代表|人大代表",
        Role.STAFF: "staff|工作人员",
        Role.ADMIN: "admin|administrator|管理员",
    }
)
_YES = frozenset(_key(word) for word in ["是", "y", "yes", "1", "true", "√", "✓", "✔"])
_NO = frozenset(_key(word) for word in ["否", "n", "no", "0", "false", "×", "✗", "✘"])


def usable(value: CellValue) -> str | int | float | date | None:
    """Unwrap a cell, rejecting what the reader marked bad (errors, formulas without a result)."""
    if isinstance(value, BadCell):
        raise CellProblem(value.message, value.params)
    return value


def text(value: CellValue) -> str | None:
    """The cell as one line of text with outer and repeated whitespace removed; None when empty."""
    value = usable(value)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        # Excel stores typed numbers such as ids as floats: 41010001 arrives as 41010001.0.
        value = int(value)
    if isinstance(value, date):
        value = value.isoformat()
    # str.split() also splits on the full-width space U+3000 and the no-break space.
    return " ".join(str(value).split()) or None


def name(value: CellValue) -> str | None:
    cleaned = text(value)
    return _NAME_PADDING.sub("", cleaned) if cleaned else None


def phone(value: CellValue) -> str | None:
    value = usable(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    raw = text(value)
    if raw is None:
        return None
    compact = "".join(unicodedata.normalize("NFKC", raw).split())
    if plain := _FLOAT_TEXT.fullmatch(compact):
        compact = plain.group(1)
    elif scientific := _SCIENTIFIC.fullmatch(compact):
        compact = _expand_scientific(raw, *scientific.groups())
    if mobile := _MOBILE.fullmatch(compact.replace("-", "")):
        return mobile.group(1)
    if _LANDLINE.fullmatch(compact):
        return compact
    raise CellProblem(
        N_(
            "Phone number {value} is neither a mobile number (11 digits starting with 1) "
            "nor a landline with its area code (such as 0371-12345678)."
        ),
        {"value": raw},
    )


def _expand_scientific(raw: str, lead: str, fraction: str | None, exponent: str) -> str:
    # "1.3812345678E+10" still holds every digit; "1.38E+10" is what Excel shows for a number
    # column that is too narrow, and the missing digits cannot be recovered from the file.
    digits = lead + (fraction or "")
    if len(digits) < int(exponent) + 1:
        raise CellProblem(
            N_(
                "Phone number {value} lost digits in Excel; "
                "format the phone column as text and export again."
            ),
            {"value": raw},
        )
    return digits


def level(value: CellValue) -> Level | None:
    message = N_("Unknown level {value}; use national, province, city, county or township.")
    found = _lookup(value, _LEVELS, message)
    return Level(found) if found else None


def role(value: CellValue) -> Role:
    """The role, representative when the cell is empty: most rows are representatives."""
    found = _lookup(value, _ROLES, N_("Unknown role {value}; use representative, staff or admin."))
    return Role(found) if found else Role.REPRESENTATIVE


def leader(value: CellValue) -> bool:
    raw = text(value)
    if raw is None:
        return False
    key = _key(raw)
    if key in _YES or key in _NO:
        return key in _YES
    raise CellProblem(N_("Unknown group leader mark {value}; use yes or no."), {"value": raw})


def _lookup(value: CellValue, table: dict[str, str], message: str) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    found = table.get(_key(raw))
    if found is None:
        raise CellProblem(message, {"value": raw})
    return found
