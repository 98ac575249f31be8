"""What the representative types while recording a concern, checked and tidied.

Short fields (place, name, phone, department) are NFKC-normalised like every typed value. The
summary and notes are kept as written, line breaks and Chinese punctuation included: they are
the record itself.
"""

from __future__ import annotations

import re

from services.dates import normalize
from services.errors import BadInput
from services.i18n_marks import N_
from storage.duty_models import (
    CONSTITUENT_NAME_LIMIT,
    CONSTITUENT_PHONE_LIMIT,
    DEPARTMENT_LIMIT,
    PLACE_LIMIT,
)

PHONE_DIGITS = (5, 20)
_PHONE = re.compile(r"\+?[0-9 -]+")


def clean_summary(text: str) -> str:
    summary = text.strip()
    if not normalize(summary):
        raise BadInput(N_("The summary is empty. Describe the concern in a few words."))
    return summary


def clean_note(text: str) -> str:
    return text.strip()


def _short(text: str, limit: int, empty: str, too_long: str) -> str:
    value = normalize(text)
    if not value:
        raise BadInput(empty)
    if len(value) > limit:
        raise BadInput(too_long, limit=limit)
    return value


def clean_place(text: str) -> str:
    return _short(
        text,
        PLACE_LIMIT,
        N_("The place is empty. Type the place, or press Skip."),
        N_("The place is longer than {limit} characters. Please shorten it."),
    )


def clean_name(text: str) -> str:
    return _short(
        text,
        CONSTITUENT_NAME_LIMIT,
        N_("The name is empty. Type the constituent's name."),
        N_("The name is longer than {limit} characters. Please shorten it."),
    )


def clean_department(text: str) -> str:
    return _short(
        text,
        DEPARTMENT_LIMIT,
        N_("Name the department the concern was forwarded to."),
        N_("The department is longer than {limit} characters. Please shorten it."),
    )


def clean_phone(text: str) -> str:
    """Loosely a phone number: digits, spaces, dashes and a leading +, with 5 to 20 digits."""
    phone = normalize(text)
    digits = sum(ch in "0123456789" for ch in phone)
    low, high = PHONE_DIGITS
    if (
        not _PHONE.fullmatch(phone)
        or not low <= digits <= high
        or len(phone) > CONSTITUENT_PHONE_LIMIT
    ):
        raise BadInput(
            N_(
                "That does not look like a phone number: use digits, spaces, - or a leading +, "
                "5 to 20 digits, e.g. 138 3790 0102."
            )
        )
    return phone
