"""`admin grant` and `seed-demo` through the real command line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from sqlmodel import select
from typer.testing import CliRunner

from bot.__main__ import cli
from services.actors import Actor, resolve_actor
from services.config import Settings
from services.invitations import issue_invitation
from services.permissions import Role
from storage.audit import list_audit
from storage.db import create_engine, create_sessionmaker
from storage.models import Mandate, Person
from storage.types import utcnow
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


def _seed_twins(settings: Settings, *, second_account: int | None) -> tuple[int, int, int]:
    """王建国 entered by two delegations (same name and phone), and 王建国 of a third with
    another phone: the first two are duplicates, the third is not."""

    async def seed() -> tuple[int, int, int]:
        engine = create_engine(settings.database_url)
        async with create_sessionmaker(engine)() as session:
            luoyang = await add_delegation(session, "驻洛省十四届人大代表")
            nanyang = await add_delegation(session, "南阳市人大代表")
            zhengzhou = await add_delegation(session, "郑州市人大代表")
            keep = await add_representative(session, telegram_id=11, delegation=luoyang)
            other = await add_representative(
                session, telegram_id=second_account, delegation=nanyang
            )
            third = await add_representative(session, telegram_id=None, delegation=zhengzhou)
            keep.phone, other.phone, third.phone = "13837900101", "13837900101", "13900000000"
            assert keep.id is not None
            assert other.id is not None
            assert third.id is not None
            if second_account is None:
                await issue_invitation(
                    session=session,
                    person_id=other.id,
                    actor_telegram_id=None,
                    now=utcnow(),
                    ttl_days=30,
                )
            await session.commit()
            ids = (keep.id, other.id, third.id)
        await engine.dispose()
        return ids

    return asyncio.run(seed())


def _entries(settings: Settings) -> tuple[list[tuple[int, int | None]], list[int], list[str]]:
    async def load() -> tuple[list[tuple[int, int | None]], list[int], list[str]]:
        engine = create_engine(settings.database_url)
        async with create_sessionmaker(engine)() as session:
            people = [(p.id or 0, p.telegram_id) for p in await session.scalars(select(Person))]
            owners = [m.person_id for m in await session.scalars(select(Mandate))]
            actions = [entry.action for entry in await list_audit(session=session)]
        await engine.dispose()
        return sorted(people), sorted(owners), actions

    return asyncio.run(load())


def test_duplicates_are_listed_and_merged_into_one_person(cli_env: Settings) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    keep, other, third = _seed_twins(cli_env, second_account=None)
    listed = runner.invoke(cli, ["admin", "duplicates"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.splitlines() == [
        "王建国 · 13837900101",
        f"  {keep} — 驻洛省十四届人大代表 — linked",
        f"  {other} — 南阳市人大代表 — not linked",
        "Merge two of them with: admin merge KEEP_ID OTHER_ID",
    ]
    merged = runner.invoke(cli, ["admin", "merge", str(keep), str(other)])
    assert merged.exit_code == 0, merged.output
    assert merged.output.strip() == f"Merged {other} into {keep}: 1 mandate(s) moved."
    people, owners, actions = _entries(cli_env)
    assert people == [(keep, 11), (third, None)]
    assert owners == sorted([keep, keep, third])
    assert "person.merge" in actions
    after = runner.invoke(cli, ["admin", "duplicates"])
    assert after.output.strip() == (
        "No possible duplicates: no two entries share a name and a phone."
    )


def test_two_entries_linked_to_different_accounts_are_not_merged(cli_env: Settings) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    keep, other, third = _seed_twins(cli_env, second_account=12)
    refused = runner.invoke(cli, ["admin", "merge", str(keep), str(other)])
    assert refused.exit_code == 1
    assert "linked to different Telegram accounts" in refused.output
    people, owners, actions = _entries(cli_env)
    assert people == [(keep, 11), (other, 12), (third, None)]
    assert owners == [keep, other, third]
    assert "person.merge" not in actions
