"""`deliveries list|show|pause|resume|cancel` through the real command line."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlmodel import col
from typer.testing import CliRunner

from bot.__main__ import cli
from services.config import Settings
from services.deliveries.enqueue import enqueue
from services.deliveries.model import Representatives, TextContent
from storage.audit import list_audit
from storage.db import create_engine, create_sessionmaker
from storage.delivery_models import DeliveryRecipient, RecipientState
from tests.factories import add_delegation, add_representative

runner = CliRunner()
NOT_BEFORE = datetime(2026, 12, 3, 1, 0, tzinfo=UTC)  # 09:00 in Asia/Shanghai
SENT_AT = datetime(2026, 12, 3, 1, 0, 30, tzinfo=UTC)


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
    """Three representatives, one without an account; one of the two rows sent."""
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine).begin() as session:
        delegation = await add_delegation(session)
        for telegram_id, name in ((11, "甲"), (12, "乙"), (None, "丙")):
            await add_representative(
                session, telegram_id=telegram_id, delegation=delegation, name=name
            )
        delivery = await enqueue(
            session=session,
            dedupe_key="meeting:42:T-1d",
            audience=Representatives(),
            content=TextContent(text="明天开会"),
            not_before=NOT_BEFORE,
        )
        await session.execute(
            update(DeliveryRecipient)
            .where(col(DeliveryRecipient.delivery_id) == delivery.id)
            .where(col(DeliveryRecipient.chat_id) == 11)
            .values(state=RecipientState.sent, sent_at=SENT_AT)
        )
    await engine.dispose()


def _ok(*args: str) -> str:
    result = runner.invoke(cli, ["deliveries", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_list_and_show(cli_env: Settings) -> None:
    assert _ok("list") == "#1 [scheduled] meeting:42:T-1d: 1 sent, 1 left, from 2026-12-03 09:00\n"
    lines = _ok("show", "1").splitlines()
    assert lines[0] == "#1 meeting:42:T-1d [scheduled], priority 100, from 2026-12-03 09:00"
    assert lines[1] == (
        "Queued 1, sent 1, failed 0, unreachable 0, cancelled 0, left 1; without an account 1"
    )
    assert lines[2].startswith("Estimated finish: 20")


def test_pause_resume_cancel_are_audited_and_wrong_states_refused(cli_env: Settings) -> None:
    assert _ok("pause", "1") == "#1 is now paused.\n"
    again = runner.invoke(cli, ["deliveries", "pause", "1"])
    assert again.exit_code == 1
    assert "Delivery 1 is paused: that cannot be done now." in again.output
    assert _ok("resume", "1") == "#1 is now scheduled.\n"
    assert _ok("cancel", "1") == "#1 is now cancelled.\n"
    assert "cancelled 1, left 0" in _ok("show", "1")
    missing = runner.invoke(cli, ["deliveries", "show", "9"])
    assert missing.exit_code == 1
    assert "That record does not exist or is not yours." in missing.output

    async def actions() -> list[str]:
        engine = create_engine(cli_env.database_url)
        async with create_sessionmaker(engine)() as session:
            entries = await list_audit(session=session)
        await engine.dispose()
        return [entry.action for entry in entries]

    assert sorted(asyncio.run(actions())) == [
        "delivery_cancel",
        "delivery_pause",
        "delivery_resume",
    ]
