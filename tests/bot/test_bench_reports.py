"""`bench reports` runs at a tiny size and prints its labelled figures (not judged)."""

from __future__ import annotations

import re

import pytest

from bot.benchmarks.reports import run_reports_bench

NUMBER = r"\d+(?:\.\d+)?"


async def test_bench_reports_prints_every_measure(capsys: pytest.CaptureFixture[str]) -> None:
    await run_reports_bench(
        representatives=40,
        activities=2000,
        concerns=200,
        delegations=2,
        samples=2,
        database_url=None,
    )
    output = capsys.readouterr().out
    lines = output.splitlines()
    assert re.fullmatch(
        r"bench reports \(sqlite\+aiosqlite\): seeded 2 delegations, 40 representatives, "
        r"2000 activities, 200 concerns, \d+ duties, 960 bulletin deliveries in "
        + NUMBER
        + r" s; delegation 1, \d{4}Q[1-4]: \d+ activities, 20 representatives, \d+ duties, "
        r"\d+ concerns received, [23] issues; evaluation \d{4}: 20 ranked "
        r"\(\d+ group meetings, \d+ replies seeded\)",
        lines[0],
    )
    assert lines[1].split() == ["measure", "samples", "p50_ms", "max_ms", "target_ms", "within"]
    for label, target in (
        ("tables", "1000.0"),
        ("charts", "2000.0"),
        ("workbook", "-"),
        ("evaluation", "3000.0"),
    ):
        row = next(line for line in lines if line.startswith(label + "  "))
        figures = row[len(label) :].split()
        assert figures[0] == "2"
        assert all(re.fullmatch(NUMBER, figure) for figure in figures[1:3]), row
        assert figures[3] == target
