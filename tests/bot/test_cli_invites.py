"""`invites export`: a printable file of fresh invitations for everyone not yet linked."""

from __future__ import annotations

import asyncio
import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import typer
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from typer.testing import CliRunner

from bot.cli.invites import export_invitations, invites_cli, resolve_bot_username
from services.config import Locale, Settings
from services.invitations import IssuedInvitation, redeem_token
from services.invitations.qr import qr_file_stems
from storage.audit import list_audit
from storage.db import create_engine, create_sessionmaker
from storage.migrate import upgrade
from storage.models import Invitation, Person
from tests.factories import add_delegation, add_representative
from tests.fakes import FakeSession

PNG = b"\x89PNG\r\n\x1a\n"
HEADERS = ["Name", "Delegation", "Invitation link", "Invitation code", "Valid until"]


def _settings(database_url: str, **extra: object) -> Settings:
    return Settings(
        _env_file=None,
        database_url=database_url,
        default_locale=Locale.en,
        **extra,  # type: ignore[arg-type]
    )


async def _roster(session: AsyncSession) -> None:
    luoyang = await add_delegation(session, "驻洛阳代表")
    nanyang = await add_delegation(session, "驻南阳代表")
    await add_representative(session, telegram_id=None, delegation=nanyang, name="王伟")
    await add_representative(session, telegram_id=None, delegation=luoyang, name="王伟")
    await add_representative(session, telegram_id=None, delegation=luoyang, name="=1+2")
    await add_representative(session, telegram_id=5, delegation=luoyang, name="已绑定")
    await session.commit()


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("test.db"))


def _xlsx_rows(path: Path) -> list[list[object]]:
    sheet = load_workbook(path).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


async def test_export_writes_a_workbook_of_working_links(
    session: AsyncSession, database_url: str, tmp_path: Path
) -> None:
    await _roster(session)
    out = tmp_path / "out" / "invitations.xlsx"

    count = await export_invitations(_settings(database_url), out, None, "liaison_bot")

    assert count == 3
    header, *rows = _xlsx_rows(out)
    assert header == HEADERS
    assert [row[:2] for row in rows] == [
        ["王伟", "驻南阳代表"],
        ["'=1+2", "驻洛阳代表"],  # a name that looks like a formula stays text
        ["王伟", "驻洛阳代表"],
    ]
    invitations = (await session.scalars(select(Invitation))).all()
    shanghai = {i.expires_at.astimezone(ZoneInfo("Asia/Shanghai")).date() for i in invitations}
    assert {row[4].date() for row in rows if isinstance(row[4], datetime)} == shanghai
    for _name, _delegation, link, code, _expires in rows:
        assert str(link).startswith("https://t.me/liaison_bot?start=")
        assert len(str(code)) == 9
        assert str(code)[4] == "-"
    assert _files(out.parent) == ["invitations.xlsx"]  # no temporary file left behind

    token = str(rows[2][2]).rsplit("=", 1)[1]
    person = await redeem_token(session=session, token=token, telegram_id=77, now=datetime.now(UTC))
    assert person.name == "王伟"
    (entry,) = await list_audit(session=session, action="invite.export")
    assert entry.actor_telegram_id is None
    assert entry.details == {"count": 3, "file": "invitations.xlsx"}
    assert len(await list_audit(session=session, action="invite.issue")) == 3


async def test_export_writes_csv_and_one_qr_image_per_person(
    session: AsyncSession, database_url: str, tmp_path: Path
) -> None:
    await _roster(session)
    out, qr_dir = tmp_path / "invitations.csv", tmp_path / "qr"

    await export_invitations(_settings(database_url), out, qr_dir, "liaison_bot")

    text = out.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert header == HEADERS
    assert [row[0] for row in rows] == ["王伟", "'=1+2", "王伟"]
    namesakes = (await session.scalars(select(Person.id).where(col(Person.name) == "王伟"))).all()
    expected = {"1_2.png"} | {f"王伟_{person_id}.png" for person_id in namesakes}
    assert len(expected) == 3
    assert {p.name for p in qr_dir.iterdir()} == expected
    for image in qr_dir.iterdir():
        assert image.read_bytes().startswith(PNG)


async def test_a_second_export_replaces_the_links_of_the_first(
    session: AsyncSession, database_url: str, tmp_path: Path
) -> None:
    await _roster(session)
    settings = _settings(database_url)
    await export_invitations(settings, tmp_path / "a.csv", None, "liaison_bot")
    await export_invitations(settings, tmp_path / "b.csv", None, "liaison_bot")

    invitations = (await session.scalars(select(Invitation))).all()

    assert len(invitations) == 6
    assert sum(i.revoked_at is not None for i in invitations) == 3


async def test_a_failed_export_changes_nothing(
    session: AsyncSession, database_url: str, tmp_path: Path
) -> None:
    await _roster(session)
    blocker = tmp_path / "qr"
    blocker.write_text("a file where the QR folder should be")

    with pytest.raises(OSError, match="exists"):
        await export_invitations(
            _settings(database_url), tmp_path / "x.xlsx", blocker, "liaison_bot"
        )

    assert (await session.scalars(select(Invitation))).all() == []
    assert _files(tmp_path) == ["qr"]


def test_file_names_are_safe_and_unique() -> None:
    def issued(person_id: int, name: str) -> IssuedInvitation:
        return IssuedInvitation(person_id, name, "", "t", "c", datetime.now(UTC))

    stems = qr_file_stems(
        [issued(1, "../../etc/passwd"), issued(2, "Li Na"), issued(3, "li na"), issued(4, "///")]
    )

    assert stems == ["etc_passwd", "Li_Na_2", "li_na_3", "person"]


async def test_the_username_comes_from_get_me() -> None:
    settings = _settings("sqlite+aiosqlite:///unused.db", bot_token="123456:" + "a" * 30)

    assert await resolve_bot_username(settings, bot_session=FakeSession()) == "liaison_test_bot"
    assert await resolve_bot_username(_settings("sqlite+aiosqlite:///unused.db")) is None


def _seed(url: str) -> None:
    async def add() -> None:
        engine = create_engine(url)
        async with create_sessionmaker(engine)() as session:
            await _roster(session)
        await engine.dispose()

    asyncio.run(add())


@pytest.fixture
def migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    upgrade(url)
    _seed(url)
    monkeypatch.chdir(tmp_path)  # away from any .env of the checkout
    for name in ("BOT_TOKEN", "TELEGRAM_API_URL", "BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    return url


def _cli() -> typer.Typer:
    # Wired the way `python -m bot` mounts it: `invites export`.
    app = typer.Typer()
    app.add_typer(invites_cli, name="invites")
    return app


def test_the_command_exports_and_prints_a_summary(
    migrated: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_USERNAME", "@liaison_bot")

    result = CliRunner().invoke(_cli(), ["invites", "export", "--qr-dir", "qr"])

    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Invitations written: 3, to invitations.xlsx. QR codes: qr."
    header, *rows = _xlsx_rows(tmp_path / "invitations.xlsx")
    assert header == HEADERS
    assert len(rows) == 3
    assert all(str(row[2]).startswith("https://t.me/liaison_bot?start=") for row in rows)
    assert len(list((tmp_path / "qr").glob("*.png"))) == 3


def test_the_command_needs_a_bot_username(migrated: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(_cli(), ["invites", "export", "--out", "x.csv"])

    assert result.exit_code == 2
    assert "BOT_USERNAME" in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x.csv").exists()


def test_the_command_reports_bad_settings_in_one_line(
    migrated: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INVITE_TTL_DAYS", "0")

    result = CliRunner().invoke(_cli(), ["invites", "export"])

    assert result.exit_code == 2
    assert result.output.strip().startswith("Configuration error — INVITE_TTL_DAYS")
