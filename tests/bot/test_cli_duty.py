"""`duty import`, `duty rotate`, `duty show` and `calendar set|show` through the command line."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select
from typer.testing import CliRunner

from bot.__main__ import cli
from services.config import Settings
from storage.db import create_engine, create_sessionmaker
from storage.models import Delegation, Level, Mandate, Person, Station
from storage.rota_models import DutyAssignment
from storage.scheduling import record_missed
from storage.scheduling_models import MissedReminder
from storage.types import utcnow

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "REDIS_URL", "TELEGRAM_API_URL", "ADMIN_IDS", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    settings = Settings(_env_file=None, database_url=url)
    asyncio.run(_seed(settings))
    return settings


async def _seed(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine).begin() as session:
        home, other = (
            Delegation(name="洛阳", level=Level.province),
            Delegation(name="郑州", level=Level.province),
        )
        session.add_all([home, other])
        await session.flush()
        station = Station(name="城关站", delegation_id=home.id, address="中山路1号")
        session.add(station)
        await session.flush()
        for name, delegation, at_station in (
            ("张三", home, True),
            ("李四", home, True),
            ("王五", home, True),
            ("赵六", other, False),
        ):
            person = Person(name=name)
            session.add(person)
            await session.flush()
            assert person.id is not None
            session.add(
                Mandate(
                    person_id=person.id,
                    level=Level.province,
                    term_number=14,
                    delegation_id=delegation.id or 0,
                    station_id=station.id if at_station else None,
                )
            )
    await engine.dispose()


async def _duties(settings: Settings) -> list[tuple[date, str]]:
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine)() as session:
        rows = await session.execute(
            select(col(DutyAssignment.day), col(Person.name))
            .join(Person, col(Person.id) == col(DutyAssignment.person_id))
            .order_by(col(DutyAssignment.day), col(Person.name))
        )
        found = [(row[0], row[1]) for row in rows.all()]
    await engine.dispose()
    return found


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_file_with_bad_rows_is_refused_whole_with_row_numbers(
    cli_env: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "duty.csv"
    path.write_text(
        "联络站,日期,代表,时间\n"
        "城关站,2024-03-20,张三,09:00-12:00\n"  # fine
        "城关站,2024-03-21,李四,\n"  # a Thursday
        "城关站,2024-10-02,李四,\n"  # National Day holiday, a Wednesday
        "北站,2024-03-27,李四,\n"  # no such station
        "城关站,2024-03-27,无名,\n"  # no such person
        "城关站,2024-03-27,赵六,\n"  # another delegation
        "城关站,2024-13-01,李四,\n"  # no such date
        "城关站,2024-03-27,李四,12:00-09:00\n",  # hours backwards
        encoding="utf-8",
    )
    code, out, err = _run("duty", "import", str(path))
    assert code == 1, out
    lines = err.splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [f"Row {n}" for n in range(3, 10)]
    assert "not a reception day" in lines[0]
    assert "not a reception day" in lines[1]
    assert "no station named 北站" in lines[2]
    assert "no representative named 无名" in lines[3]
    assert "not a representative of the delegation" in lines[4]
    assert "Nothing was imported" in lines[-1]
    assert asyncio.run(_duties(cli_env)) == []


def test_a_good_file_is_checked_by_a_dry_run_then_stored(cli_env: Settings, tmp_path: Path) -> None:
    path = tmp_path / "duty.csv"
    path.write_text(
        "station,date,representative,hours\n城关站,2024/3/20,张三,14:00-17:00\n城关站,2024年3月27日,李四,\n",
        encoding="utf-8",
    )
    code, out, _err = _run("duty", "import", str(path), "--dry-run")
    assert code == 0
    assert "2 duties are correct" in out
    assert asyncio.run(_duties(cli_env)) == []
    code, out, _err = _run("duty", "import", str(path))
    assert code == 0, out
    assert asyncio.run(_duties(cli_env)) == [
        (date(2024, 3, 20), "张三"),
        (date(2024, 3, 27), "李四"),
    ]
    code, _out, err = _run("duty", "import", str(path))
    assert code == 1
    assert "Row 2: 张三 is on duty at 城关站 on 2024-03-20 already." in err


def test_rotation_takes_turns_and_skips_holidays(cli_env: Settings) -> None:
    code, out, err = _run(
        "duty", "rotate", "--station", "城关站", "--from", "2024-09-23", "--weeks", "3"
    )
    assert code == 0, err
    # 2024-10-02 is a National Day holiday: no reception that week.
    assert out.splitlines()[:2] == ["2024-09-25  张三", "2024-10-09  李四"]
    code, out, err = _run(
        "duty", "rotate", "--station", "城关站", "--from", "2024-10-14", "--weeks", "2"
    )
    assert out.splitlines()[:2] == ["2024-10-16  王五", "2024-10-23  张三"]
    code, out, _err = _run("duty", "show", "--station", "城关站", "--month", "2024-10")
    assert code == 0
    assert out.splitlines() == [
        "2024-10-09  李四",
        "2024-10-16  王五",
        "2024-10-23  张三",
        "2024-10-30  nobody on duty",
    ]
    code, _out, err = _run("duty", "rotate", "--station", "北站", "--from", "2024-10-14")
    assert code == 1
    assert "no station named 北站" in err


def test_calendar_overrides_a_year_the_package_does_not_know(cli_env: Settings) -> None:
    code, out, _err = _run("calendar", "show", "2027-02")
    assert code == 0
    assert "2027-02-14  Sun  day off  (Monday to Friday" in out
    code, out, _err = _run("calendar", "set", "2027-02-14", "workday")
    assert code == 0
    assert "2027-02-14 is a working day." in out
    code, out, _err = _run("calendar", "show", "2027-02")
    assert "2027-02-14  Sun  working day  (set by an admin)" in out
    assert "2024-02-04" not in out
    code, out, _err = _run("calendar", "show", "2024-02")
    assert "2024-02-04  Sun  working day  (holiday calendar)" in out
    code, _out, err = _run("calendar", "set", "2027-02-30", "holiday")
    assert code == 1
    assert "not a date" in err


def test_a_stations_day_hours_address_and_location_are_set(cli_env: Settings) -> None:
    code, out, _err = _run("duty", "station", "城关站")
    assert code == 0
    assert out.strip() == "城关站: Wed 09:00–12:00; address: 中山路1号; location: —"
    code, out, err = _run(
        "duty",
        "station",
        "城关站",
        "--weekday",
        "4",
        "--hours",
        "14:00-17:30",
        "--location",
        "34.6197,112.4539",
    )
    assert code == 0, err
    assert out.strip() == (
        "城关站: Thu 14:00–17:30; address: 中山路1号; location: 34.619700,112.453900"
    )
    code, _out, err = _run("duty", "station", "城关站", "--hours", "17:00-09:00")
    assert code == 1
    assert "not like 09:00-12:00" in err
    code, _out, err = _run("duty", "station", "城关站", "--location", "north")
    assert code == 1
    assert "not like 34.6197,112.4539" in err
    # Thursday is now its reception day.
    code, out, _err = _run(
        "duty", "rotate", "--station", "城关站", "--from", "2024-03-18", "--weeks", "1"
    )
    assert out.splitlines()[0] == "2024-03-21  张三"


async def _missed_rows(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine).begin() as session:
        person = (await session.scalars(select(Person).where(Person.name == "张三"))).one()
        for age, key in ((2, "duty:station1:x:eve:person1"), (40, "duty:station1:y:eve:person1")):
            due = utcnow() - timedelta(days=age)
            await record_missed(
                session=session,
                missed=MissedReminder(
                    dedupe_key=key,
                    kind="duty",
                    audience={"people": 1},
                    person_ids=[person.id or 0],
                    due_at=due,
                    useful_until=due + timedelta(hours=14),
                ),
            )
    await engine.dispose()


def test_missed_reminders_are_listed_for_staff(cli_env: Settings) -> None:
    code, out, _err = _run("reminders", "missed")
    assert code == 0
    assert "No reminder was missed in the last 30 days." in out
    asyncio.run(_missed_rows(cli_env))
    code, out, _err = _run("reminders", "missed")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1
    assert "duty  张三  duty:station1:x:eve:person1" in lines[0]
    code, out, _err = _run("reminders", "missed", "--days", "60")
    assert len(out.splitlines()) == 2
