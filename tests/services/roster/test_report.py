"""The import report's text stays small whatever the file holds; its CSV holds everything."""

from __future__ import annotations

import csv
import io

from bot.i18n import cli_locale
from services.config import Settings
from services.roster.changes import FieldChange, RowChange
from services.roster.export import report_csv
from services.roster.models import Role, RowError, RowWarning
from services.roster.report import LINE_LIMIT, LINE_WIDTH, ImportReport, report_text


def _report(**fields: object) -> ImportReport:
    values: dict[str, object] = {
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "warnings": [],
        "missing": [],
        "applied": False,
        "dry_run": True,
        "skip_bad": False,
        "people_created": 0,
        "new_delegations": [],
        "new_groups": 0,
        "new_stations": 0,
        "changes": [],
    }
    return ImportReport(**(values | fields))  # type: ignore[arg-type]


def _change(row: int, name: str, *fields: FieldChange) -> RowChange:
    return RowChange(row, name, "驻洛省", Role.REPRESENTATIVE, created=not fields, fields=fields)


def test_twenty_lines_at_most_across_all_lists(settings: Settings) -> None:
    report = _report(
        errors=[
            RowError(n, "Unknown level {value}; use 省, 市 or 县.", {"value": "部"})
            for n in range(2, 12)
        ],
        warnings=[RowWarning(n, "Check {name}.", {"name": "张三"}) for n in range(2, 7)],
        changes=[_change(n, f"代表{n}") for n in range(2, 12)],
        missing=["李四"],
    )

    with cli_locale(settings, "en"):
        text = report_text(report)

    items = [line for line in text.lines if line.startswith(("Row ", "+ ", "• "))]
    assert len(items) == LINE_LIMIT
    # Errors and warnings come first; five of the ten additions fit, then nothing more.
    assert text.lines[-5:] == [
        "+ 代表5 (驻洛省)",
        "+ 代表6 (驻洛省)",
        "… and 5 more",
        "Not in the file but still active: 1",
        "… and 1 more",
    ]
    assert text.complete is False


def test_long_lines_are_cut_and_the_whole_text_fits_one_message(settings: Settings) -> None:
    # Emoji count twice in Telegram's length; 60 lines of them would be far too long.
    value = "😀" * 1000
    report = _report(
        errors=[RowError(n, "Unknown level {value}.", {"value": value}) for n in range(60)]
    )

    with cli_locale(settings, "en"):
        text = report_text(report)

    assert all(len(line) <= LINE_WIDTH for line in text.lines)
    assert len("\n".join(text.lines).encode("utf-16-le")) // 2 <= 3_600
    assert text.lines[2].endswith("😀…")
    assert text.complete is False


def test_a_short_report_is_complete(settings: Settings) -> None:
    field = FieldChange("group", "第一小组", None)
    report = _report(updated=1, changes=[_change(2, "王建国", field)])

    with cli_locale(settings, "zh"):
        text = report_text(report)

    assert text.lines[1:] == ["更新人员：1", "王建国（驻洛省），代表小组：第一小组 → —"]
    assert text.complete is True


def test_the_csv_holds_every_item_and_disarms_formulas(settings: Settings) -> None:
    report = _report(
        errors=[RowError(0, "The file is empty.")],
        changes=[
            _change(3, '=HYPERLINK("http://x")'),
            _change(4, "王建国", FieldChange("phone", None, "+8613800000001")),
        ],
        missing=["@李四"],
    )

    with cli_locale(settings, "en"):
        data = report_csv(report)

    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [
        ["row", "kind", "name", "delegation", "details"],
        ["", "error", "", "", "The file is empty."],
        ["3", "added", '\'=HYPERLINK("http://x")', "驻洛省", ""],
        ["4", "changed", "王建国", "驻洛省", "phone: — → +8613800000001"],
        ["", "not in the file", "'@李四", "", ""],
    ]
