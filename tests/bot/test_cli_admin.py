"""`admin grant` and `seed-demo` through the real command line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.__main__ import cli
from services.actors import Actor, resolve_actor
from services.config import Settings
from services.permissions import Role
from storage.audit import list_audit
from storage.db import create_engine, create_sessionmaker

runner = CliRunner()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "REDIS_URL", "TELEGRAM_API_URL", "ADMIN_IDS", "BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    return Settings(_env_file=None, database_url=url)


def _actor(settings: Settings, telegram_id: int) -> tuple[Actor, list[str]]:
    async def load() -> tuple[Actor, list[str]]:
        engine = create_engine(settings.database_url)
        async with create_sessionmaker(engine)() as session:
            actor = await resolve_actor(
                session=session, telegram_id=telegram_id, language_code="en", settings=settings
            )
            actions = [entry.action for entry in await list_audit(session=session)]
        await engine.dispose()
        return actor, actions

    return asyncio.run(load())


def test_seed_demo_then_grant_staff_within_a_delegation(cli_env: Settings) -> None:
    seeded = runner.invoke(cli, ["seed-demo"])
    assert seeded.exit_code == 0, seeded.output
    assert "New: 14. Updated: 0. Unchanged: 0." in seeded.output
    assert "910013 — 韩立新 — admin" in seeded.output
    assert "赵丽娟:" in seeded.output

    granted = runner.invoke(cli, ["admin", "grant", "424242", "staff", "--scope", "南阳市人大代表"])
    assert granted.exit_code == 0, granted.output
    assert granted.output.strip() == "424242 is now staff (南阳市人大代表)."
    staff, actions = _actor(cli_env, 424242)
    assert staff.roles == {Role.staff}
    assert staff.scope is not None
    assert len(staff.scope) == 1
    assert "admin.grant" in actions

    promoted = runner.invoke(cli, ["admin", "grant", "424242", "admin"])
    assert promoted.output.strip() == "424242 is now admin (all delegations)."
    admin, _ = _actor(cli_env, 424242)
    assert admin.roles == {Role.admin}
    assert admin.scope is None


def test_grant_with_an_unknown_delegation_changes_nothing(cli_env: Settings) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    result = runner.invoke(cli, ["admin", "grant", "7", "staff", "--scope", "火星代表团"])
    assert result.exit_code == 1
    assert "Unknown delegation: 火星代表团" in result.output
    actor, actions = _actor(cli_env, 7)
    assert actor.roles == {Role.stranger}
    assert actions == []
