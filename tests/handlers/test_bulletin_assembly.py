"""/assemble through the Dispatcher: pick, reorder, rewrite, the editor's note, draft; the
Markdown and DOCX sent, the publish preview shown, and the issue delivered to representatives.
Refusals: a representative, an activity of another delegation by forged button, nothing marked,
nothing picked."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from aiogram.methods import SendDocument, SendMessage
from aiogram.types import BufferedInputFile
from docx import Document
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.app import App, build_app
from bot.deliveries.sender import DeliverySender
from handlers.bulletin_assembly_keyboards import AssemblyPress, Press
from services.bulletins.files import read_issue_file
from services.config import Settings
from storage.bulletin_assembly import BulletinPiece
from storage.bulletin_models import BulletinArticle, BulletinIssue, IssueState
from tests.assembly_kit import (
    LUOYANG,
    REP_LUOYANG,
    REP_NANYANG,
    STAFF_LUOYANG,
    STAFF_NANYANG,
    Office,
    office,
)
from tests.factories import add_delegation, add_staff, make_user
from tests.fakes import FakeSession
from tests.harness import Harness

STAFF = make_user(STAFF_LUOYANG)
INSPECTION = f"{LUOYANG}：到隋唐城遗址植物园视察园林景观提质"
RECEPTION = f"{LUOYANG}：在石油社区代表联络站接待群众12人次，收集意见5条"
NOW = datetime(2024, 4, 2, 2, 0, tzinfo=UTC)
FORGED = "该活动不在您负责的代表团推荐上简报的活动之中，未做任何更改。"


def press(item: int, kind: Press = Press.toggle) -> AssemblyPress:
    return AssemblyPress(press=kind, item=item)


def documents(tg: Harness, chat_id: int) -> list[BufferedInputFile]:
    sent = [r for r in tg.api.sent(chat_id) if isinstance(r, SendDocument)]
    return [r.document for r in sent if isinstance(r.document, BufferedInputFile)]


async def issues(session: AsyncSession) -> list[BulletinIssue]:
    found = await session.scalars(
        select(BulletinIssue)
        .order_by(col(BulletinIssue.id))
        .execution_options(populate_existing=True)
    )
    return list(found.all())


async def pick_both(tg: Harness, data: Office) -> None:
    await tg.send(STAFF, "/assemble")
    await tg.press(STAFF, press(data.inspection.id or 0))
    await tg.press(STAFF, press(data.reception.id or 0))


async def test_staff_assemble_reorder_edit_note_draft_and_publish(
    tg: Harness, session: AsyncSession, app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("handlers.bulletin_assembly_draft.utcnow", lambda: NOW)
    data = await office(session)
    card = await tg.send(STAFF, "/assemble")
    assert "共 2 项推荐上简报" in card
    assert "到隋唐城遗址植物园" in card
    assert "建议把遗址保护和城市园林结合起来" in card
    assert "玉雕" not in card
    await tg.press(STAFF, press(data.inspection.id or 0))
    await tg.press(STAFF, press(data.reception.id or 0))
    assert "已选 2 项" in tg.api.last_text(STAFF_LUOYANG)
    await tg.press_label(STAFF, "排序和编辑（2）")
    order = tg.api.last_text(STAFF_LUOYANG)
    assert order.index(INSPECTION) < order.index(RECEPTION)
    assert f"（{LUOYANG}供稿）" in order
    await tg.press(STAFF, press(data.inspection.id or 0, Press.down))
    order = tg.api.last_text(STAFF_LUOYANG)
    assert order.index(RECEPTION) < order.index(INSPECTION)
    # Rewrite the first piece: the prompt, then its text as it stands.
    await tg.press_label(STAFF, "1 ✏️")
    assert tg.api.texts(STAFF_LUOYANG)[-2].startswith("请发送第 1 篇的新文本")
    assert tg.api.last_text(STAFF_LUOYANG).startswith(RECEPTION)
    order = await tg.send(STAFF, "洛阳市：代表<走进>联络站\n接待群众 12 人次。\n收集意见 5 条。")
    assert "<b>1. 洛阳市：代表&lt;走进&gt;联络站</b>" in order
    await tg.press_label(STAFF, "编者按")
    assert tg.api.last_text(STAFF_LUOYANG).startswith("请发送编者按")
    order = await tg.send(STAFF, "编者按：本期刊发驻洛代表履职情况。")
    assert "编者按：本期刊发驻洛代表履职情况。" in order
    tg.api.clear()
    await tg.press(STAFF, press(0, Press.draft))
    # The Markdown and the DOCX, then the preview as representatives will receive it.
    markdown, docx = documents(tg, STAFF_LUOYANG)
    assert (markdown.filename, docx.filename) == (
        "代表工作2024年第1期.md",
        "代表工作2024年第1期.docx",
    )
    text = read_issue_file(markdown.data, markdown.filename or "").issue
    headings = ["洛阳市：代表<走进>联络站", INSPECTION]
    assert [a.heading for a in text.articles] == headings
    assert text.editors_note == "本期刊发驻洛代表履职情况。"
    word = Document(io.BytesIO(docx.data))
    assert [p.text for p in word.paragraphs if p.style and p.style.name == "Heading 2"] == headings
    texts = [r.text for r in tg.api.sent(STAFF_LUOYANG) if isinstance(r, SendMessage)]
    assert texts[0].startswith("<b>代表工作 · 2024年第1期</b>")
    assert "以上是代表将收到的 2024年第1期，尚未发送。" in texts[-1]
    (issue,) = await issues(session)
    assert (issue.year, issue.number, issue.state) == (2024, 1, IssueState.draft)
    articles = (
        await session.scalars(
            select(BulletinArticle)
            .where(col(BulletinArticle.issue_id) == issue.id)
            .order_by(col(BulletinArticle.position))
        )
    ).all()
    assert [a.heading for a in articles] == ["洛阳市：代表<走进>联络站", INSPECTION]
    first = articles[0]
    assert (first.heading, first.body, first.source) == (
        "洛阳市：代表<走进>联络站",
        "接待群众 12 人次。\n收集意见 5 条。",
        f"（{LUOYANG}供稿）",
    )
    links = (
        await session.scalars(select(BulletinPiece).order_by(col(BulletinPiece.position)))
    ).all()
    assert [link.activity_id for link in links] == [data.reception.id, data.inspection.id]
    # The publish flow continues: audience, confirm, delivered.
    await tg.press_label(STAFF, "选择发送对象")
    await tg.press_label(STAFF, f"代表团：{LUOYANG}")
    await tg.press_label(STAFF, "继续")
    await tg.press_label(STAFF, "发布")
    assert tg.api.last_text(STAFF_LUOYANG).startswith("2024年第1期 已发布，正在发送给 1 人。")
    sender = DeliverySender(app.bot, app.sessionmaker, app.i18n, app.settings)
    assert await sender.run_once() == 1
    assert tg.api.last_text(REP_LUOYANG).startswith("<b>代表工作 · 2024年第1期</b>")
    assert tg.api.sent(REP_NANYANG) == []
    # Published: nothing of it is offered again.
    answer = await tg.send(STAFF, "/assemble")
    assert answer.startswith("您负责的代表团中没有推荐上简报的履职活动。")


async def test_a_representative_is_refused(tg: Harness, session: AsyncSession) -> None:
    await office(session)
    answer = await tg.send(make_user(REP_LUOYANG), "/assemble")
    assert answer == "您的角色无法使用此功能。发送 /help 查看可用功能。"


async def test_staff_of_another_delegation_neither_see_nor_pick_by_forged_buttons(
    tg: Harness, session: AsyncSession
) -> None:
    data = await office(session)
    nanyang = make_user(STAFF_NANYANG)
    card = await tg.send(nanyang, "/assemble")
    assert "玉雕" in card
    assert "隋唐城" not in card
    await tg.press(nanyang, press(data.inspection.id or 0))
    assert tg.api.alerts()[-1] == FORGED
    assert "已选 0 项" in tg.api.last_text(STAFF_NANYANG)
    # Nor through the order card's buttons: a piece not in the dialog is a stale button.
    await tg.press(nanyang, press(data.nanyang_visit.id or 0))
    await tg.press(nanyang, press(data.reception.id or 0, Press.edit))
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    await tg.press(nanyang, press(0, Press.draft))
    markdown, _docx = documents(tg, STAFF_NANYANG)
    assert b"\xe7\x8e\x89\xe9\x9b\x95" in markdown.data  # 玉雕
    assert "隋唐城".encode() not in markdown.data
    assert "接待群众".encode() not in markdown.data


async def test_nothing_marked_and_nothing_picked_get_clear_messages(
    tg: Harness, session: AsyncSession
) -> None:
    data = await office(session)
    empty = await add_delegation(session, "驻焦省十四届人大代表")
    await add_staff(session, telegram_id=8199, delegations=[empty])
    await session.commit()
    answer = await tg.send(make_user(8199), "/assemble")
    assert answer.startswith("您负责的代表团中没有推荐上简报的履职活动。")
    await pick_both(tg, data)
    await tg.press(STAFF, press(data.inspection.id or 0))
    await tg.press(STAFF, press(data.reception.id or 0))
    await tg.press(STAFF, press(0, Press.draft))
    assert tg.api.alerts()[-1] == "请先至少选择一项活动，再生成本期草稿。"
    assert documents(tg, STAFF_LUOYANG) == []
    assert await issues(session) == []


async def test_assembling_again_offers_to_replace_the_unpublished_draft(
    tg: Harness, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("handlers.bulletin_assembly_draft.utcnow", lambda: NOW)
    data = await office(session)
    await tg.send(STAFF, "/assemble")
    await tg.press(STAFF, press(data.inspection.id or 0))
    await tg.press(STAFF, press(0, Press.draft))
    await tg.send(STAFF, "/assemble")
    await tg.press(STAFF, press(data.reception.id or 0))
    await tg.press(STAFF, press(0, Press.draft))
    assert tg.api.last_text(STAFF_LUOYANG) == (
        "2024年第1期已存为草稿，尚未发布。\n是否用现在编辑的这一期替换该草稿？"
    )
    await tg.press_label(STAFF, "替换草稿")
    assert "以上是代表将收到的 2024年第1期" in tg.api.last_text(STAFF_LUOYANG)
    (issue,) = await issues(session)
    articles = await session.scalars(
        select(col(BulletinArticle.heading)).where(col(BulletinArticle.issue_id) == issue.id)
    )
    assert list(articles) == [RECEPTION]
    links = (await session.scalars(select(BulletinPiece))).all()
    assert [link.activity_id for link in links] == [data.reception.id]


async def test_the_dialog_survives_a_restart(
    tg: Harness, session: AsyncSession, settings: Settings
) -> None:
    data = await office(session)
    await pick_both(tg, data)
    await tg.press(STAFF, press(0, Press.order))
    await tg.press_label(STAFF, "编者按")
    await tg.app.close()
    second = Harness(build_app(settings, bot_session=FakeSession()))
    try:
        order = await second.send(STAFF, "本期刊发驻洛代表履职情况。")
        assert order.index(INSPECTION) < order.index(RECEPTION)
        assert "编者按：本期刊发驻洛代表履职情况。" in order
    finally:
        await second.app.close()
