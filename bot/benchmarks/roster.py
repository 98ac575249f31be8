"""`bench roster`: parse a generated roster and import it twice into a fresh SQLite file.

The second import finds every entry unchanged: it measures what a routine re-import costs. Each
phase also reports the event loop's worst stall, which is how long any other user's answer could
have waited behind it: the parse runs in the worker process the bot uses, the preview is the dry
run a staff member sees before confirming.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.benchmarks.heartbeat import heartbeat
from bot.benchmarks.report import table
from services.roster import RosterParseResult, parse_roster_file
from services.roster.importer import ImportReport, import_roster
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade

# Common surnames and characters of given names: about one person in a hundred has a namesake,
# as in a real roster of this size.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙"
)
_GIVEN = (
    "建国伟芳秀英娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华文红梅志春燕海庆卫东晓玉"
    "丽永淑珍德新民振爱慧鹏"
)
_PROVINCIAL = ["驻洛省十四届人大代表", "驻郑省十四届人大代表", "驻开省十四届人大代表"]
_CITY = "洛阳市人大代表"
_DISTRICTS = ("西工区", "老城区", "涧西区", "洛龙区", "瀍河区", "偃师区", "孟津区")
_STATIONS = [f"{district}代表联络站" for district in _DISTRICTS]
_HEADER = "姓名,代表证号,层级,届次,代表团,代表小组,组长,联络站,手机,角色"
# Every tenth row is the city mandate of the provincial representative in the row before it.
_SECOND_LEVEL_EVERY = 10


def roster_csv(rows: int) -> bytes:
    """A roster of ``rows`` data rows; names repeat across delegations, as they do in life."""
    lines = [_HEADER]
    for index in range(rows):
        person = index - 1 if index % _SECOND_LEVEL_EVERY == _SECOND_LEVEL_EVERY - 1 else index
        name = _name(person)
        phone = f"139{person:08d}"
        station = _STATIONS[person % len(_STATIONS)]
        if person != index:
            group = f"第{person % 12 + 1}代表小组"
            cells = [name, f"C{person:06d}", "市", "第十六届", _CITY, group, "", station, phone, ""]
        else:
            delegation = _PROVINCIAL[person % len(_PROVINCIAL)]
            group, leader = f"第{person % 20 + 1}代表小组", "是" if person % 97 == 0 else ""
            cells = [name, f"P{person:06d}", "省", "第十四届", delegation, group, leader, station]
            cells += [phone, ""]
        lines.append(",".join(cells))
    return ("\r\n".join(lines) + "\r\n").encode()


def _name(person: int) -> str:
    # A multiplicative hash spreads consecutive numbers over the combinations without a cycle.
    mixed = person * 2_654_435_761 % 2**32
    surname, mixed = _SURNAMES[mixed % len(_SURNAMES)], mixed // len(_SURNAMES)
    first, mixed = _GIVEN[mixed % len(_GIVEN)], mixed // len(_GIVEN)
    # One given name in eight has a single character.
    second = _GIVEN[mixed % len(_GIVEN)] if mixed % 8 else ""
    return surname + first + second


async def run_roster_bench(*, rows: int) -> None:
    data = roster_csv(rows)
    started = time.perf_counter()
    async with heartbeat() as parse_beat:
        parsed = await parse_roster_file(data, "bench.csv")
    parse_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        await asyncio.to_thread(upgrade, url)
        engine = create_engine(url)
        sessions = create_sessionmaker(engine)
        try:
            first = await _import(sessions, parsed, dry_run=False)
            preview = await _import(sessions, parsed, dry_run=True)
            again = await _import(sessions, parsed, dry_run=False)
        finally:
            await engine.dispose()
    print(f"bench roster: {rows} rows ({len(parsed.errors)} bad), sqlite")
    print(
        table(
            (
                "phase",
                "rows",
                "seconds",
                "rows_per_s",
                "stall_ms",
                "created",
                "updated",
                "unchanged",
            ),
            [
                _parse_row(rows, parse_seconds, parse_beat.worst_ms),
                _row("first import", rows, first),
                _row("preview", rows, preview),
                _row("re-import", rows, again),
            ],
        )
    )
    print(
        f"people {first[0].people_created}  delegations {len(first[0].new_delegations)}  "
        f"groups {first[0].new_groups}  stations {first[0].new_stations}"
    )


Measured = tuple[ImportReport, float, float]


async def _import(
    sessions: async_sessionmaker[AsyncSession], parsed: RosterParseResult, *, dry_run: bool
) -> Measured:
    started = time.perf_counter()
    async with heartbeat() as beat, sessions.begin() as session:
        report = await import_roster(
            session=session,
            parsed=parsed,
            scope=None,
            actor_telegram_id=None,
            dry_run=dry_run,
            skip_bad=False,
        )
    return report, time.perf_counter() - started, beat.worst_ms


def _row(phase: str, rows: int, measured: Measured) -> list[object]:
    report, seconds, stall_ms = measured
    counts = (report.created, report.updated, report.unchanged)
    return [phase, rows, f"{seconds:.2f}", _rate(rows, seconds), f"{stall_ms:.1f}", *counts]


def _parse_row(rows: int, seconds: float, stall_ms: float) -> list[object]:
    return ["parse (worker)", rows, f"{seconds:.2f}", _rate(rows, seconds), f"{stall_ms:.1f}"] + [
        ""
    ] * 3


def _rate(rows: int, seconds: float) -> float:
    return rows / seconds if seconds else 0.0
