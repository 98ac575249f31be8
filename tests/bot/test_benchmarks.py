"""The benchmarks run and print their labelled figures (small sizes; the figures are not judged)."""

from __future__ import annotations

import re

import pytest

from bot.benchmarks import delivery
from bot.benchmarks.crash import run_crash_bench
from bot.benchmarks.delivery_world import FIRST_RECIPIENT
from bot.benchmarks.updates import run_updates_bench
from bot.emulator import Emulator


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


@pytest.mark.e2e
async def test_bench_delivery_counts_every_chat_against_the_rows(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "KILL_LEASE_SECONDS", "10")  # the least the settings allow
    await delivery.run_delivery_bench(
        recipients=30, capacity_recipients=60, names=("clean", "kill", "capacity")
    )
    output = capsys.readouterr().out
    assert _row(output, "scenario") == [
        "scenario", "recipients", "rate_cfg", "rate", "ratio_wall", "paused_s", "down_s",
        "ratio", "lost", "duplicated", "unreachable", "in_flight", "p50_s", "p99_s",
        "answer_p99_ms", "answer_p99_open_ms",
    ]  # fmt: skip
    clean, kill, capacity = _row(output, "clean"), _row(output, "kill"), _row(output, "capacity")
    assert clean[1:3] == ["30", "28.0"]
    assert capacity[1:3] == ["60", "1000.0"]
    for row in (clean, kill, capacity):
        assert row[8] == "0"  # lost
        assert float(row[3]) > 0
        assert float(row[4]) > 0
        assert float(row[7]) >= float(row[4])  # ratio over the open seconds, wall-clock ratio
        assert row[5] == "0.0"  # no faults injected, so no pause asked for
    assert clean[6] == capacity[6] == "0.0"  # down_s
    assert float(kill[6]) > 0  # the kill and the restart
    assert clean[9] == capacity[9] == "0"  # duplicated
    assert clean[11] == "-"
    assert kill[11] != "-"
    assert int(kill[9]) <= int(kill[11])  # duplicates only among the rows in flight at the kill
    assert re.search(r"^clean: \d+ answers to \d+ messages(;|$)", output, re.MULTILINE)
    assert re.search(r"; queued in \d+\.\d\d s, first sent \d+\.\d\d s after due", output)


@pytest.mark.e2e
async def test_bench_delivery_against_another_server_skips_the_emulators_own_scenarios(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with Emulator() as server:
        await delivery.run_delivery_bench(
            recipients=10, api_url=server.base_url, names=("clean", "faults")
        )
    output = capsys.readouterr().out
    assert f"Bot API server {server.base_url}" in output
    clean = _row(output, "clean")
    assert clean[1] == "10"
    assert clean[8:10] == ["0", "0"]  # lost, duplicated
    assert (
        sum(
            len(server.users.messages(chat))
            for chat in range(FIRST_RECIPIENT, FIRST_RECIPIENT + 10)
        )
        == 10
    )
    assert "faults: skipped" in output
