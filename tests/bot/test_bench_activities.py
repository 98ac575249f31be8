"""`bench activities` runs at a tiny size and prints its labelled figures (not judged)."""

from __future__ import annotations

import re

import pytest

from bot.benchmarks.activities import run_activities_bench

MEASURES = (
    "/my first page",
    "/my filtered page (quarter + type)",
    "/my last page",
    "save from confirm card",
)
NUMBER = r"\d+(?:\.\d+)?"


async def test_bench_activities_prints_every_measure(capsys: pytest.CaptureFixture[str]) -> None:
    await run_activities_bench(representatives=4, activities=300, samples=3)
    output = capsys.readouterr().out
    assert re.search(
        r"^bench activities: seeded 4 representatives and 300 activities in "
        + NUMBER
        + r" s \(sqlite\); 3 samples each$",
        output,
        re.MULTILINE,
    )
    lines = output.splitlines()
    assert lines[1].split() == ["measure", "samples", "p50_ms", "p99_ms", "target_p99_ms", "within"]
    for label in MEASURES:
        row = next(line for line in lines if line.startswith(label + "  "))
        figures = row[len(label) :].split()
        assert figures[0] == "3"
        assert all(re.fullmatch(NUMBER, figure) for figure in figures[1:4]), row
        assert figures[3] == "20.0"
        assert figures[4] in {"yes", "no"}
    # Each update, warm-up ones included, got the list, page or saved message it should.
    assert re.search(r"^answers checked 92  wrong 0$", output, re.MULTILINE)
