"""`activities types` and `activities rescore` through the real command line."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.__main__ import cli
from services.config import Settings
from storage.audit import list_audit
from storage.db import create_engine, create_sessionmaker
from storage.duty_models import Activity, ActivityType
from storage.models import Mandate
from tests.factories import add_delegation, add_representative

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "REDIS_URL", "TELEGRAM_API_URL", "ADMIN_IDS", "BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    return Settings(_env_file=None, database_url=url)


def test_types_lists_the_seeded_types_with_their_points(cli_env: Settings) -> None:
    result = runner.invoke(cli, ["activities", "types"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 12
    assert lines[0] == "group_meeting: 小组活动 / Group meeting — 3 points"
    assert lines[1] == "inspection: 视察 / Inspection — 3 points"
    assert lines[-1] == "other: 其他 / Other — 1 points"


def _seed(settings: Settings) -> list[int]:
    """Two inspections of 2024 (one deleted) and one of 2023, logged at 3 points; then the
    type is changed to 4 points."""

    async def seed() -> list[int]:
        engine = create_engine(settings.database_url)
        async with create_sessionmaker(engine)() as session:
            delegation = await add_delegation(session)
            await add_representative(session, telegram_id=11, delegation=delegation)
            mandate = (await session.scalars(select(Mandate))).one()
            kind = (
                await session.scalars(select(ActivityType).where(ActivityType.code == "inspection"))
            ).one()
            assert mandate.id is not None
            assert kind.id is not None
            rows = [
                Activity(
                    person_id=mandate.person_id,
                    mandate_id=mandate.id,
                    delegation_id=mandate.delegation_id,
                    type_id=kind.id,
                    points=kind.points,
                    happened_on=day,
                    summary="视察",
                    deleted_at=None if day.month < 12 else datetime(2024, 12, 31, tzinfo=UTC),
                )
                for day in (date(2024, 3, 15), date(2024, 12, 1), date(2023, 6, 1))
            ]
            session.add_all(rows)
            kind.points = 4
            await session.commit()
            ids = [row.id or 0 for row in rows]
        await engine.dispose()
        return ids

    return asyncio.run(seed())


def _state(settings: Settings) -> tuple[dict[int, int], list[tuple[int | None, dict[str, Any]]]]:
    async def load() -> tuple[dict[int, int], list[tuple[int | None, dict[str, Any]]]]:
        engine = create_engine(settings.database_url)
        async with create_sessionmaker(engine)() as session:
            points = {row.id or 0: row.points for row in await session.scalars(select(Activity))}
            audit = [
                (entry.actor_telegram_id, entry.details)
                for entry in await list_audit(session=session, action="activities.rescore")
            ]
        await engine.dispose()
        return points, audit

    return asyncio.run(load())


def test_rescore_gives_a_years_activities_their_types_current_points(cli_env: Settings) -> None:
    march, december, last_year = _seed(cli_env)
    assert _state(cli_env) == ({march: 3, december: 3, last_year: 3}, [])
    result = runner.invoke(cli, ["activities", "rescore", "--year", "2024"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Rescored 2024: the points of 2 activities changed."
    points, audit = _state(cli_env)
    assert points == {march: 4, december: 4, last_year: 3}
    assert audit == [(None, {"year": 2024, "count": 2})]


def test_rescore_needs_a_year(cli_env: Settings) -> None:
    result = runner.invoke(cli, ["activities", "rescore"])
    assert result.exit_code == 2
    assert "--year" in result.output
    assert _state(cli_env)[1] == []
