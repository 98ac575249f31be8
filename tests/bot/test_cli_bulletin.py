"""`bulletin import FILE [--dry-run] [--replace]` through the real command line."""

from __future__ import annotations

import asyncio
import io
import shutil
from pathlib import Path

import pytest
from docx import Document
from sqlmodel import select
from typer.testing import CliRunner

from bot.__main__ import cli
from services.config import Settings
from storage.audit import list_audit
from storage.bulletin_models import BulletinArticle, BulletinIssue, IssueState
from storage.db import create_engine, create_sessionmaker

runner = CliRunner()
DATA = Path(__file__).resolve().parent.parent / "data"
SEED = DATA / "000_a1bcc203f270e66c.txt"


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "REDIS_URL", "TELEGRAM_API_URL", "ADMIN_IDS", "TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DEFAULT_LOCALE", "en")
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    return Settings(_env_file=None, database_url=url)


def _import(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["bulletin", "import", *args])
    return result.exit_code, result.stdout, result.stderr


async def _stored(settings: Settings) -> list[tuple[BulletinIssue, list[BulletinArticle]]]:
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine)() as session:
        issues = (await session.scalars(select(BulletinIssue))).all()
        found = []
        for issue in issues:
            statement = select(BulletinArticle).where(BulletinArticle.issue_id == issue.id)
            found.append((issue, list((await session.scalars(statement)).all())))
    await engine.dispose()
    return found


def test_the_seed_imports_as_a_draft_with_a_summary(cli_env: Settings) -> None:
    code, out, _err = _import(str(SEED))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:6] == [
        "Issue 4 of 2024, dated 2024-03-21",
        "Masthead: 代表工作",
        "Issued by: 河南省人大常委会选举任免代表联络工作委员会",
        "Series: “为人民履职、为中原添彩·人大代表在行动”主题活动专辑（一）",
        "Editor's note: 今年省人大常委会决定在全省组织开展"
        "“为人民履职、为中原添彩·人大代表在行动”主…",
        "Articles: 2",
    ]
    assert lines[6:9] == [
        "  1. 组织驻洛省十四届人大代表开展第一季度小组活动 — 3 paragraphs — "
        "source: （洛阳市人大常委会人事代表工委供稿）",
        "  2. 南阳市：召开专题现场会推进主题活动在全市迅速铺开 — 3 paragraphs — "
        "source: （南阳市人大常委会选工委供稿）",
        "Distribution: 3 lines; copies printed: 50",
    ]
    assert lines[9] == "Stored issue 4 of 2024 as a draft (#1); staff publish it in the chat."
    ((issue, articles),) = asyncio.run(_stored(cli_env))
    assert (issue.year, issue.number, issue.state) == (2024, 4, IssueState.draft)
    assert (issue.file_name, issue.file_kind, issue.file_id) == (SEED.name, "text", None)
    assert [a.position for a in sorted(articles, key=lambda a: a.position)] == [1, 2]
    assert articles[0].paragraphs[2].count("全过程、各方面。") == 1


def test_dry_run_stores_nothing(cli_env: Settings) -> None:
    code, out, _err = _import(str(SEED), "--dry-run")
    assert code == 0
    assert out.splitlines()[-1] == "Dry run: nothing was stored."
    assert asyncio.run(_stored(cli_env)) == []


def test_a_duplicate_asks_for_replace_and_replace_keeps_the_issue(
    cli_env: Settings, tmp_path: Path
) -> None:
    assert _import(str(SEED))[0] == 0
    code, _out, err = _import(str(SEED))
    assert code == 1
    assert err == (
        "Issue 4 of 2024 is stored already (draft); run again with --replace to overwrite it.\n"
    )
    edited = tmp_path / "issue4.txt"
    shutil.copy(SEED, edited)
    edited.write_text(
        SEED.read_text(encoding="utf-8").replace("召开专题现场会", "召开现场会"), encoding="utf-8"
    )
    code, out, _err = _import(str(edited), "--replace")
    assert code == 0
    assert out.splitlines()[-1] == "Replaced issue 4 of 2024 (#1); it stays draft."
    ((issue, articles),) = asyncio.run(_stored(cli_env))
    assert issue.id == 1
    assert issue.file_name == "issue4.txt"
    headings = sorted((a.position, a.heading) for a in articles)
    assert headings[1] == (2, "南阳市：召开现场会推进主题活动在全市迅速铺开")
    actions = asyncio.run(_audit(cli_env))
    assert actions == ["bulletin.import", "bulletin.replace"]


async def _publish_all(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine).begin() as session:
        for issue in (await session.scalars(select(BulletinIssue))).all():
            issue.state = IssueState.published
    await engine.dispose()


def test_replacing_a_published_issue_keeps_article_ids_and_every_heading(
    cli_env: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _import(str(SEED))[0] == 0
    asyncio.run(_publish_all(cli_env))
    ((_issue, before),) = asyncio.run(_stored(cli_env))
    text = SEED.read_text(encoding="utf-8")
    corrected = tmp_path / "issue4.txt"
    corrected.write_text(text.replace("近日，洛阳市", "3月中旬，洛阳市"), encoding="utf-8")
    code, out, _err = _import(str(corrected), "--replace")
    assert code == 0
    assert out.splitlines()[-1] == "Replaced issue 4 of 2024 (#1); it stays published."
    ((_issue, after),) = asyncio.run(_stored(cli_env))
    assert sorted(a.id or 0 for a in after) == sorted(a.id or 0 for a in before)
    assert any(a.body.startswith("3月中旬，洛阳市") for a in after)
    # A heading changed: the delivered cards would open nothing under it.
    renamed = tmp_path / "issue4b.txt"
    renamed.write_text(text.replace("召开专题现场会", "召开现场会"), encoding="utf-8")
    code, out, err = _import(str(renamed), "--replace")
    assert code == 1
    assert err == (
        "Issue 4 of 2024 has been published, and representatives open its articles from the "
        "card they received. A corrected file must keep every article under the same heading; "
        "missing: 南阳市：召开专题现场会推进主题活动在全市迅速铺开. Correct the text under the "
        "same headings, or publish the change as a new issue.\n"
    )
    monkeypatch.setenv("DEFAULT_LOCALE", "zh")
    code, _out, err = _import(str(renamed), "--replace")
    assert code == 1
    assert err.startswith("2024年第4期已发布，代表从收到的卡片打开其中的文章。")
    assert "缺少：南阳市：召开专题现场会推进主题活动在全市迅速铺开" in err
    ((issue, unchanged),) = asyncio.run(_stored(cli_env))
    assert issue.file_name == "issue4.txt"
    assert sorted((a.id or 0, a.heading) for a in unchanged) == sorted(
        (a.id or 0, a.heading) for a in after
    )


async def _audit(settings: Settings) -> list[str]:
    engine = create_engine(settings.database_url)
    async with create_sessionmaker(engine)() as session:
        entries = await list_audit(session=session)
    await engine.dispose()
    return sorted(entry.action for entry in entries if entry.action.startswith("bulletin."))


def test_a_docx_and_a_malformed_file(cli_env: Settings, tmp_path: Path) -> None:
    document = Document()
    for text in (
        "代表工作",
        "第 7 期",
        "河南省人大常委会选举任免代表联络工作委员会",
        "2024 年 6 月 12 日",
    ):
        document.add_paragraph(text)
    document.add_heading("许昌市：代表联络站织密服务群众“一张网”", level=2)
    document.add_paragraph("许昌市对全市146个代表联络站进行提档升级。")
    buffer = io.BytesIO()
    document.save(buffer)
    docx = tmp_path / "issue7.docx"
    docx.write_bytes(buffer.getvalue())
    code, out, _err = _import(str(docx), "--dry-run")
    assert code == 0, out
    assert out.splitlines()[0] == "Issue 7 of 2024, dated 2024-06-12"
    assert "  1. 许昌市：代表联络站织密服务群众“一张网” — 1 paragraphs — source: —" in out
    broken = tmp_path / "broken.txt"
    broken.write_text(
        SEED.read_text(encoding="utf-8").replace("2024 年 3 月 21 日", "2024 年 2 月 30 日"),
        encoding="utf-8",
    )
    code, out, err = _import(str(broken))
    assert (code, out) == (1, "")
    assert err == "Line 10: 2024 年 2 月 30 日 is not a date.\n"
    assert asyncio.run(_stored(cli_env)) == []


def test_a_file_too_large_is_refused_unread(cli_env: Settings, tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:
        stream.truncate(64 * 1024 * 1024)  # sparse: 64 MB claimed, nothing written
    code, out, err = _import(str(huge))
    assert (code, out) == (1, "")
    assert err == "The file huge.txt is larger than 4 MB; an issue is far smaller.\n"
