"""The benchmarks run and print their labelled figures (small sizes; the figures are not judged)."""

from __future__ import annotations

import re

import pytest

from bot.benchmarks.crash import run_crash_bench
from bot.benchmarks.updates import run_updates_bench


def _row(output: str, *labels: str) -> list[str]:
    for line in output.splitlines():
        cells = line.split()
        if cells[: len(labels)] == list(labels):
            return cells
    raise AssertionError(f"no row {labels} in:\n{output}")


async def test_bench_updates_sets_the_app_beside_aiogram(
    capsys: pytest.CaptureFixture[str],
) -> None:
    await run_updates_bench(count=40, users=5, rounds=1, rate=200, offered=20)
    output = capsys.readouterr().out
    header = _row(output, "side")
    assert header == ["side", "phase", "updates", "seconds", "per_s", "p50_ms", "p99_ms", "ratio"]
    app = _row(output, "app", "first")
    assert float(app[-1]) > 0  # the ratio, in the app's row
    assert _row(output, "aiogram", "first")[2] == "40"
    assert _row(output, "app", "200/s", "offered")[3] == "20"
    assert _row(output, "app", "redelivered")[2] == "40"
    assert re.search(r"^answered 160  lost 0  duplicates 0$", output, re.MULTILINE)


@pytest.mark.e2e
async def test_bench_crash_kills_the_bot_and_counts_answers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    await run_crash_bench(kills=2, users=3, rate=10)
    output = capsys.readouterr().out
    assert _row(output, "kills") == ["kills", "2"]
    assert _row(output, "lost") == ["lost", "0"]
    messages = int(_row(output, "messages")[1])
    answers = int(_row(output, "answers")[1])
    duplicates = int(_row(output, "duplicates")[1])
    assert messages > 0
    assert answers == messages + duplicates
