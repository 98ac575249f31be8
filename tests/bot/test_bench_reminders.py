"""`bench reminders` runs at a tiny size and prints its labelled figures (not judged), having
queued each reminder of the week once; a database with people in it is refused."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bot.benchmarks.reminders import NotEmpty, run_reminders_bench
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import Person

NUMBER = r"\d+(?:\.\d+)?"


async def test_bench_reminders_prints_each_tick_and_the_idle_ticks(
    capsys: pytest.CaptureFixture[str],
) -> None:
    await run_reminders_bench(representatives=300, stations=6, idle_samples=20)
    output = capsys.readouterr().out
    lines = output.splitlines()
    assert lines[0].startswith("bench reminders: 300 representatives, 6 stations, 6 duties")
    assert "duty_reminders" in lines[0]
    rows = {
        label: line[len(label) :].split()
        for line in lines
        for label in (
            "weekly digests (Monday)",
            "evening before",
            "morning of the day",
            "after the hours",
            "idle tick",
        )
        if line.startswith(label + "  ")
    }
    # People 100 and 300 have the digest on (one in a hundred; 200 keeps an evening time).
    assert rows["weekly digests (Monday)"][3] == "2"
    for label in ("evening before", "morning of the day", "after the hours"):
        assert rows[label][3] == "6", rows[label]
        assert re.fullmatch(NUMBER, rows[label][2])
    assert rows["idle tick"][0] == "20"
    assert all(re.fullmatch(NUMBER, figure) for figure in rows["idle tick"][1:4])


async def test_a_database_with_people_is_refused(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'used.db'}"
    await asyncio.to_thread(upgrade, url)
    engine = create_engine(url)
    async with create_sessionmaker(engine).begin() as session:
        session.add(Person(name="在册"))
    await engine.dispose()
    with pytest.raises(NotEmpty):
        await run_reminders_bench(representatives=10, stations=2, idle_samples=1, database_url=url)
