"""Large and hostile XLSX files, parsed in the worker process as the bot parses uploads.

Each is refused (or read) with the worker's peak memory under 300 MB, while a heartbeat on the
event loop, ticking every 10 ms, is never more than 100 ms late.
"""

import asyncio
import gc
import signal
import time
from collections.abc import Awaitable, Iterator
from typing import Any

import pytest

from services.roster import parse_roster, parse_roster_file, worker
from services.roster.worker import ParseOutcome, parse_in_worker
from tests.services.roster.builders import HEADER_ZH, person, roster_csv
from tests.services.roster.workbooks import bomb, roster_rows, row_xml, understating, workbook

PEAK_LIMIT = 300 * 1024 * 1024
LATE_LIMIT = 0.1
TICK = 0.01
BOMB = (
    "The file {filename} unpacks to more than {limit} MB, far more than a roster needs; "
    "it was refused. Save the roster alone in a new workbook and send it again."
)
DAMAGED = (
    "The file {filename} is damaged: a part of it does not match the size or checksum "
    "it declares. Save it again from Excel and send it again."
)
TOO_MANY_ROWS = "The file has more than {limit} rows; split the roster into smaller files."


@pytest.fixture(autouse=True)
def frozen_heap() -> Iterator[None]:
    """Keep the test process's own objects out of full garbage collections during the test.

    A full collection walks every object of the process: here all of pytest and of the bot's
    modules, about 110 ms on the two-core test machine under load, whatever code triggers it. The
    50,000 rows a large file brings trigger one, so without this the heartbeat would measure the
    size of the test process's heap rather than the parse. (The bot can do the same by freezing
    its heap once started.)
    """
    gc.collect()
    gc.freeze()
    yield
    gc.unfreeze()


async def _with_heartbeat(work: Awaitable[ParseOutcome]) -> tuple[ParseOutcome, float]:
    """The outcome, and the most the heartbeat was held up by this process while the work ran.

    A tick counts as late by the time it overran, but at most by the CPU time this process spent
    during the tick (its event loop, any thread, the garbage collector): on the shared two-core
    test machine the kernel sometimes runs other programs for a while, which is not this
    process holding its loop. Work done in a thread instead of the worker process still counts.
    """
    loop = asyncio.get_running_loop()
    latest = 0.0
    beats = 0

    async def beat() -> None:
        nonlocal latest, beats
        while True:
            due, cpu = loop.time() + TICK, time.process_time()
            await asyncio.sleep(TICK)
            overrun = loop.time() - due
            latest = max(latest, min(overrun, time.process_time() - cpu))
            beats += 1

    heart = asyncio.create_task(beat())
    try:
        outcome = await work
    finally:
        heart.cancel()
    # The heartbeat ran throughout: a loop blocked for the whole parse would show no beats.
    assert beats > 0
    return outcome, latest


def _errors(outcome: ParseOutcome) -> list[tuple[int, str, dict[str, object]]]:
    return [(e.row, e.message, dict(e.params)) for e in outcome.result.errors]


async def test_a_zip_bomb_is_refused_while_inflating() -> None:
    # 240 MB of sheet XML in less than 1 MB, like the file that once took the bot to 5.9 GB.
    data = bomb(240)
    assert len(data) < 1024 * 1024

    outcome, late = await _with_heartbeat(parse_in_worker(data, "名册.xlsx"))

    assert _errors(outcome) == [(0, BOMB, {"filename": "名册.xlsx", "limit": 96})]
    assert outcome.result.rows == []
    assert 0 < outcome.peak_rss < PEAK_LIMIT
    assert late < LATE_LIMIT


async def test_a_member_that_understates_its_size_is_refused() -> None:
    # The sheet inflates to 60 MB while the archive says 10 kB.
    data = understating(60, declared=10_000)

    outcome, late = await _with_heartbeat(parse_in_worker(data, "roster.xlsx"))

    assert _errors(outcome) == [(0, DAMAGED, {"filename": "roster.xlsx"})]
    assert 0 < outcome.peak_rss < PEAK_LIMIT
    assert late < LATE_LIMIT


async def test_the_largest_legitimate_roster_is_read_without_blocking() -> None:
    data = workbook(roster_rows(50_000))

    outcome, late = await _with_heartbeat(parse_in_worker(data, "roster.xlsx"))

    assert outcome.result.errors == []
    assert len(outcome.result.rows) == 50_000
    last = outcome.result.rows[-1]
    assert (last.row_number, last.name, last.external_id, last.phone) == (
        50_001,
        "代表49999",
        "41049999",
        "13800049999",
    )
    assert 0 < outcome.peak_rss < PEAK_LIMIT
    assert late < LATE_LIMIT


async def test_one_row_over_the_limit_is_refused_without_reading_further() -> None:
    # Whatever follows the rows beyond the limit is never parsed: here, broken XML. The rows hold
    # one number each, which is enough to count and quick to read.
    rows = [row_xml(HEADER_ZH), *(row_xml([number]) for number in range(50_011))]
    data = workbook(rows, tail=b"<row><c><v>not xml")

    outcome, late = await _with_heartbeat(parse_in_worker(data, "roster.xlsx"))

    assert _errors(outcome) == [(0, TOO_MANY_ROWS, {"limit": 50_000})]
    assert 0 < outcome.peak_rss < PEAK_LIMIT
    assert late < LATE_LIMIT


async def test_the_worker_gives_the_same_result_as_parsing_in_place() -> None:
    data = roster_csv(person("张三", phone="13812345678"), person("李四", level="部"))

    assert await parse_roster_file(data, "roster.csv") == parse_roster(data, "roster.csv")


async def test_a_worker_that_takes_too_long_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "WORKER_TIMEOUT_SECONDS", 0.01)

    result = await parse_roster_file(roster_csv(person()), "roster.csv")

    assert [(e.row, e.message, e.params) for e in result.errors] == [
        (
            0,
            "Reading the file {filename} took longer than {seconds} seconds; "
            "split the roster into smaller files.",
            {"filename": "roster.csv", "seconds": 1},
        )
    ]


async def test_an_abandoned_parse_stops_its_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    started = asyncio.Event()
    processes: list[asyncio.subprocess.Process] = []
    real_exec = asyncio.create_subprocess_exec

    async def recording_exec(*args: Any, **kwargs: Any) -> asyncio.subprocess.Process:
        process = await real_exec(*args, **kwargs)
        processes.append(process)
        started.set()
        return process

    monkeypatch.setattr(asyncio, "create_subprocess_exec", recording_exec)
    parse = asyncio.create_task(parse_in_worker(workbook(roster_rows(50_000)), "roster.xlsx"))
    await started.wait()

    parse.cancel()
    with pytest.raises(asyncio.CancelledError):
        await parse

    [process] = processes
    assert process.returncode == -signal.SIGKILL


async def test_a_worker_out_of_memory_refuses_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    # 50,000 rows of 16 MB of CSV need about 180 MB; the worker is given 128 MB of address space.
    monkeypatch.setattr(worker, "WORKER_MEMORY_BYTES", 128 * 1024 * 1024)
    rows = (
        person(f"代表{n:05d}", group="第一小组" * 12, station="西工区代表联络站" * 6)
        for n in range(50_000)
    )
    data = roster_csv(*rows)

    outcome = await parse_in_worker(data, "roster.csv")

    assert _errors(outcome) == [
        (
            0,
            "The file {filename} needs more memory to read than a roster may use; "
            "split the roster into smaller files.",
            {"filename": "roster.csv"},
        )
    ]
    assert 0 < outcome.peak_rss <= 128 * 1024 * 1024


async def test_a_worker_out_of_cpu_time_is_stopped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worker, "WORKER_CPU_SECONDS", 1)

    result = await parse_roster_file(workbook(roster_rows(50_000)), "roster.xlsx")

    assert [(e.row, e.params) for e in result.errors] == [
        (0, {"filename": "roster.xlsx", "seconds": 1})
    ]
    assert result.errors[0].message.startswith("Reading the file {filename} took longer")
