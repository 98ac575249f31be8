"""A 10,000-row roster must leave most of the import's time budget to the database."""

import time

from services.roster import parse_roster
from tests.services.roster.builders import HEADER_ZH, csv_bytes, person


def test_ten_thousand_row_csv_parses_under_two_seconds() -> None:
    header = [*HEADER_ZH, "任期起止"]
    rows = [
        [
            *person(
                f"代表{index:05d}",
                external_id=f"41{index:06d}",
                group=f"第{index % 50 + 1}小组",
                leader="是" if index % 50 == 0 else "否",
                station="西工区代表联络站",
                phone=f"138{index:08d}.0",
                role="代表",
            ),
            "2023-01-01至2027-12-31",
        ]
        for index in range(10_000)
    ]
    data = csv_bytes([header, *rows], encoding="gb18030")

    started = time.perf_counter()
    result = parse_roster(data, "roster.csv")
    elapsed = time.perf_counter() - started

    assert result.errors == []
    assert len(result.rows) == 10_000
    assert result.rows[-1].phone == "13800009999"
    assert result.rows[-1].row_number == 10_001
    assert elapsed < 2.0
