"""services.labels: one rule for which language a name is shown in, wherever it is shown."""

from __future__ import annotations

from datetime import date

import pytest

from services.activities.choices import type_name as chosen_type_name
from services.dates import format_date
from services.labels import is_zh, type_name
from services.record.model import ActivityLine, TypePoints
from storage.duty_models import ActivityType

RECEPTION = ActivityType(code="reception", name_zh="接待群众", name_en="Reception", points=2)


@pytest.mark.parametrize(
    ("locale", "chinese"),
    [
        ("zh", True),
        ("zh-CN", True),
        ("ZH-hans", True),
        ("en", False),
        ("en-US", False),
        ("", False),
    ],
)
def test_every_place_names_a_type_in_the_same_language(locale: str, chinese: bool) -> None:
    expected = "接待群众" if chinese else "Reception"
    assert is_zh(locale) is chinese
    # The logging card's and the history's name (one function, re-exported for the log flow).
    assert chosen_type_name is type_name
    assert type_name(RECEPTION, locale) == expected
    # The duty record's rows, which hold both names.
    line = ActivityLine(
        day=date(2024, 3, 15),
        type_code="reception",
        type_zh="接待群众",
        type_en="Reception",
        place=None,
        summary="",
        points=2,
        for_bulletin=False,
    )
    row = TypePoints("reception", "接待群众", "Reception", 1, (2, 0, 0, 0))
    assert line.type_name(locale) == row.type_name(locale) == expected
    # Dates follow the same rule.
    assert format_date(date(2024, 3, 15), locale).startswith("2024年") is chinese


def test_no_type_reads_as_a_dash() -> None:
    assert type_name(None, "zh") == type_name(None, "en") == "—"
