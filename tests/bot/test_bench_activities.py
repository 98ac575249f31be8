"""`bench activities` runs at a tiny size and prints its labelled figures (not judged)."""

from __future__ import annotations

import re

import pytest

from bot.benchmarks.activities import run_activities_bench

# Each measure and its target p99 in milliseconds.
MEASURES = {
    "/my first page": "20.0",
    "/my filtered page (quarter + type)": "20.0",
    "/my last page": "20.0",
    "save from confirm card": "20.0",
    "yearly XLSX": "1000.0",
    "yearly PDF": "2000.0",
}
NUMBER = r"\d+(?:\.\d+)?"


async def test_bench_activities_prints_every_measure(capsys: pytest.CaptureFixture[str]) -> None:
    await run_activities_bench(representatives=4, activities=300, samples=3, record_samples=1)
    output = capsys.readouterr().out
    assert re.search(
        r"^bench activities: seeded 4 representatives and 300 activities in "
        + NUMBER
        + r" s \(sqlite\); 3 samples each, 1 of each yearly record file$",
        output,
        re.MULTILINE,
    )
    lines = output.splitlines()
    assert lines[1].split() == ["measure", "samples", "p50_ms", "p99_ms", "target_p99_ms", "within"]
    for label, target in MEASURES.items():
        row = next(line for line in lines if line.startswith(label + "  "))
        figures = row[len(label) :].split()
        assert figures[0] == ("1" if label.startswith("yearly") else "3")
        assert all(re.fullmatch(NUMBER, figure) for figure in figures[1:4]), row
        assert figures[3] == target
        assert figures[4] in {"yes", "no"}
    # Each update, warm-up ones included, got the list, page or saved message it should.
    assert re.search(r"^answers checked 92  wrong 0$", output, re.MULTILINE)
    assert re.search(r"^yearly record: \d{4}, \d+ activities of one representative$", output, re.M)
