"""/bulletins and /search: the archive, an issue's card, articles, 已阅, and forged buttons."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from aiogram.methods import EditMessageText, SendDocument, SendMessage, SetMyCommands
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from handlers.bulletins_keyboards import MarkRead, OpenArticle, OpenIssue, OriginalFile
from handlers.menu import set_chat_menu
from services.actors import Actor
from services.bulletins.files import read_issue_file
from services.bulletins.importing import OriginalFile as Original
from services.bulletins.importing import store_issue
from services.bulletins.model import ParsedArticle, ParsedIssue
from services.deliveries.model import Representatives
from services.permissions import Role
from storage.bulletin_models import BulletinArticle, BulletinIssue, BulletinRead
from storage.bulletins import list_articles
from storage.models import Person
from tests.bulletin_kit import publish_issue_to
from tests.factories import add_delegation, add_representative, make_user
from tests.fakes import FakeSession
from tests.harness import Harness

REP, OTHER, STRANGER = 7301, 7302, 7399
NOW = datetime(2024, 6, 20, 2, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parent.parent / "data"
NOT_AVAILABLE = "该期简报不存在，或您无权查看。"


async def readers(session: AsyncSession) -> tuple[Person, Person]:
    delegation = await add_delegation(session)
    mine = await add_representative(session, telegram_id=REP, delegation=delegation)
    other = await add_representative(
        session, telegram_id=OTHER, delegation=delegation, name="李红梅", language="en"
    )
    return mine, other


async def stored(
    session: AsyncSession, parsed: ParsedIssue, *, publish: bool = True, file_id: str | None = None
) -> BulletinIssue:
    original = Original(name="issue.txt", kind="text", file_id=file_id)
    result = await store_issue(
        session=session, parsed=parsed, original=original, replace=False, now=NOW
    )
    if publish:
        # To every representative of the roster so far: the issue's audience.
        await publish_issue_to(session, result.issue, Representatives(None), NOW)
    await session.commit()
    return result.issue


def from_file(name: str) -> ParsedIssue:
    return read_issue_file((DATA / name).read_bytes(), name).issue


def small_issue(number: int, *, day: date, paragraphs: list[str] | None = None) -> ParsedIssue:
    article = ParsedArticle(
        heading=f"第{number}期的文章", line=1, paragraphs=paragraphs or ["正文。"]
    )
    return ParsedIssue(
        year=day.year, number=number, issued_on=day, title="代表工作", articles=[article]
    )


def buttons(tg: Harness, chat_id: int) -> dict[str, str]:
    for request in reversed(tg.api.sent(chat_id)):
        markup = getattr(request, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            return {b.text: str(b.callback_data) for row in markup.inline_keyboard for b in row}
    return {}


async def reads(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(BulletinRead)) or 0)


async def test_an_empty_archive_says_so_and_strangers_are_refused(
    tg: Harness, session: AsyncSession
) -> None:
    await readers(session)
    await stored(session, small_issue(1, day=date(2024, 1, 5)), publish=False)
    assert await tg.send(make_user(REP), "/bulletins") == "还没有发布的简报。"
    english = await tg.send(make_user(OTHER, language_code="en"), "/bulletins")
    assert english == "No bulletin issues have been published yet."
    refused = await tg.send(make_user(STRANGER), "/bulletins")
    assert "邀请" in refused


async def test_issues_newest_first_a_page_at_a_time(tg: Harness, session: AsyncSession) -> None:
    await readers(session)
    for number in range(1, 11):
        await stored(session, small_issue(number, day=date(2024, 1, number)))
    await stored(session, small_issue(11, day=date(2024, 2, 1)), publish=False)
    first = await tg.send(make_user(REP), "/bulletins")
    lines = first.split("\n")
    assert lines[:2] == ["<b>简报</b>", "共10期，第1/2页"]
    assert lines[3] == "<b>1.</b> 代表工作 · 2024年第10期 · 2024年1月10日（周三）"
    assert lines[10].startswith("<b>8.</b> 代表工作 · 2024年第3期")
    assert "第11期" not in first  # a draft is not in the archive
    labels = list(buttons(tg, REP))
    assert labels[:2] == ["2024年第10期", "2024年第9期"]
    assert labels[-1] == "›"
    await tg.press_label(make_user(REP), "›")
    edited = tg.api.sent(REP)[-1]
    assert isinstance(edited, EditMessageText)
    assert edited.text is not None
    assert edited.text.split("\n")[1] == "共10期，第2/2页"
    assert "<b>10.</b> 代表工作 · 2024年第1期" in edited.text
    assert list(buttons(tg, REP)) == ["2024年第2期", "2024年第1期", "‹"]


async def test_an_issue_opens_as_a_card_and_its_articles_in_turn(
    tg: Harness, session: AsyncSession
) -> None:
    await readers(session)
    issue = await stored(session, from_file("000_a1bcc203f270e66c.txt"))
    await tg.send(make_user(REP), "/bulletins")
    await tg.press_label(make_user(REP), "2024年第4期")
    card = tg.api.last_text(REP)
    assert card.startswith("<b>代表工作 · 2024年第4期</b>\n2024年3月21日（周四）\n")
    assert "<i>“为人民履职、为中原添彩·人大代表在行动”主题活动专辑（一）</i>" in card
    assert "<b>编者按：</b>今年省人大常委会决定" in card
    assert "本期共2篇文章，点击下方按钮阅读。" in card
    assert list(buttons(tg, REP)) == [
        "1. 组织驻洛省十四届人大代表开展第一季度小组活动",
        "2. 南阳市：召开专题现场会推进主题活动在全市迅速铺开",
        "已阅",
        "全部期刊",
    ]
    await tg.press_label(make_user(REP), "1. 组织驻洛省十四届人大代表开展第一季度小组活动")
    article = tg.api.last_text(REP)
    assert article.startswith(
        "<b>组织驻洛省十四届人大代表开展第一季度小组活动</b>\n"
        "<i>代表工作 · 2024年第4期 · 第1篇，共2篇</i>\n\n近日，洛阳市人大常委会"
    )
    assert "贯穿履职全过程、各方面。" in article
    assert article.endswith("<i>（洛阳市人大常委会人事代表工委供稿）</i>")
    assert list(buttons(tg, REP)) == ["本期", "下一篇 ›"]
    await tg.press_label(make_user(REP), "下一篇 ›")
    assert tg.api.last_text(REP).startswith(
        "<b>南阳市：召开专题现场会推进主题活动在全市迅速铺开</b>"
    )
    assert list(buttons(tg, REP)) == ["‹ 上一篇", "本期"]
    await tg.press_label(make_user(REP), "本期")
    assert tg.api.last_text(REP).startswith("<b>代表工作 · 2024年第4期</b>")
    assert issue.id is not None


async def test_the_original_file_is_sent_by_its_file_id(tg: Harness, session: AsyncSession) -> None:
    await readers(session)
    issue = await stored(session, from_file("bulletin_2024_07.txt"), file_id="BQAC-issue-7")
    assert issue.id is not None
    await tg.press(make_user(OTHER, language_code="en"), OpenIssue(issue_id=issue.id))
    assert list(buttons(tg, OTHER))[-3:] == ["Read", "Original file", "All issues"]
    await tg.press_label(make_user(OTHER, language_code="en"), "Original file")
    sent = tg.api.sent(OTHER)[-1]
    assert isinstance(sent, SendDocument)
    assert sent.document == "BQAC-issue-7"


async def test_a_long_article_is_split_at_paragraph_boundaries(
    tg: Harness, session: AsyncSession
) -> None:
    await readers(session)
    paragraphs = [
        f"第{i}段。" + "代表们深入基层走访调研，" * 70 + "形成报告。" for i in range(1, 13)
    ]
    issue = await stored(session, small_issue(5, day=date(2024, 5, 1), paragraphs=paragraphs))
    assert issue.id is not None
    (article,) = await list_articles(session=session, issue_id=issue.id)
    assert article.id is not None
    await tg.press(make_user(REP), OpenArticle(article_id=article.id))
    parts = [r for r in tg.api.sent(REP) if isinstance(r, SendMessage)]
    assert len(parts) >= 3
    assert all(len(part.text) <= 4096 for part in parts)
    body = "\n\n".join(part.text for part in parts)
    for paragraph in paragraphs:
        # Each paragraph whole in one part: the cuts fall between paragraphs.
        assert sum(paragraph in part.text for part in parts) == 1
        assert paragraph in body
    assert [part.reply_markup is not None for part in parts] == [False] * (len(parts) - 1) + [True]


async def test_search_in_chinese_and_english(tg: Harness, session: AsyncSession) -> None:
    await readers(session)
    await stored(session, from_file("000_a1bcc203f270e66c.txt"))
    await stored(session, from_file("bulletin_2024_07.txt"))
    await stored(
        session,
        small_issue(9, day=date(2024, 9, 1), paragraphs=["草稿里的镇平县。"]),
        publish=False,
    )
    found = await tg.send(make_user(REP), "/search 镇平县")
    lines = found.split("\n")
    assert lines[0] == "“镇平县”的搜索结果："
    assert (
        lines[2]
        == "<b>1.</b> 南阳市：召开专题现场会推进主题活动在全市迅速铺开 — 代表工作 · 2024年第4期"
    )
    assert lines[3].startswith("    3月11日，南阳市人大常委会在<b>镇平县</b>召开")
    assert "草稿" not in found
    assert list(buttons(tg, REP)) == ["1"]
    english = await tg.send(make_user(OTHER, language_code="en"), "/search deputy HOME")
    assert english.split("\n")[0] == "Found for «deputy HOME»:"
    assert "<b>1.</b> 洛阳市：“<b>Deputy Home</b>”" not in english  # headings are not highlighted
    assert (
        "<b>1.</b> 洛阳市：“Deputy Home”小程序让群众随时找得到代表 — 代表工作 · 2024 No. 7"
        in english
    )
    assert "“<b>Deputy</b> <b>Home</b>”" in english
    await tg.press_label(make_user(OTHER, language_code="en"), "1")
    assert tg.api.last_text(OTHER).startswith("<b>洛阳市：“Deputy Home”小程序")
    nothing = await tg.send(make_user(REP), "/search 不存在的词")
    assert nothing == "没有找到与“不存在的词”相关的内容。请换个词，或减少关键词。"
    empty = await tg.send(make_user(REP), "/search")
    assert empty == "请在 /search 后输入要查找的词，例如：/search 代表小组"


async def test_read_is_recorded_once(tg: Harness, session: AsyncSession) -> None:
    mine, _other = await readers(session)
    issue = await stored(session, from_file("000_a1bcc203f270e66c.txt"))
    assert issue.id is not None
    await tg.press(make_user(REP), OpenIssue(issue_id=issue.id))
    await tg.press_label(make_user(REP), "已阅")
    assert tg.api.alerts()[-1] == "已记录为已阅，谢谢。"
    assert "✓ 已阅" in buttons(tg, REP)
    await tg.press(make_user(REP), MarkRead(issue_id=issue.id))
    assert tg.api.alerts()[-1] == "您已标记过本期为已阅。"
    rows = (await session.scalars(select(BulletinRead))).all()
    assert [(row.issue_id, row.person_id) for row in rows] == [(issue.id, mine.id)]
    await tg.press(make_user(REP), OpenIssue(issue_id=issue.id))
    assert "您已将本期标记为已阅。" in tg.api.last_text(REP)


async def test_forged_buttons_open_nothing_and_change_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    await readers(session)
    published = await stored(session, from_file("000_a1bcc203f270e66c.txt"))
    draft = await stored(session, from_file("bulletin_2024_07.txt"), publish=False, file_id="X")
    assert published.id is not None
    assert draft.id is not None
    (draft_article, *_rest) = await list_articles(session=session, issue_id=draft.id)
    assert draft_article.id is not None
    before = len(tg.api.texts(REP))
    for forged in (
        OpenIssue(issue_id=draft.id),
        OpenIssue(issue_id=99_999),
        OpenArticle(article_id=draft_article.id),
        OpenArticle(article_id=99_999),
        MarkRead(issue_id=draft.id),
        MarkRead(issue_id=99_999),
        OriginalFile(issue_id=draft.id),
    ):
        await tg.press(make_user(REP), forged)
        assert tg.api.alerts()[-1] == NOT_AVAILABLE, forged
    # Published and readable, but imported without a file: said so, not "not available".
    await tg.press(make_user(REP), OriginalFile(issue_id=published.id))
    assert tg.api.alerts()[-1] == "本期没有可发送的原件，全文见各篇文章。"
    assert len(tg.api.texts(REP)) == before
    assert not [r for r in tg.api.sent(REP) if isinstance(r, SendDocument)]
    assert await reads(session) == 0
    await tg.press(make_user(REP), "bulr:abc")
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    assert await reads(session) == 0
    count = await session.scalar(select(func.count()).select_from(BulletinArticle))
    assert count == 5


async def test_the_menu_offers_the_archive_in_both_languages(app: App) -> None:
    api = app.bot.session
    assert isinstance(api, FakeSession)
    expected = {
        "zh": [("bulletins", "简报《代表工作》"), ("search", "搜索简报")],
        "en": [
            ("bulletins", "Bulletin issues (代表工作)"),
            ("search", "Search the bulletin issues"),
        ],
    }
    for role in (Role.representative, Role.staff):
        for locale, pairs in expected.items():
            await set_chat_menu(app.bot, app.i18n, Actor(80, frozenset({role}), locale))
            call = api.requests[-1]
            assert isinstance(call, SetMyCommands)
            listed = [(c.command, c.description) for c in call.commands]
            assert all(pair in listed for pair in pairs), (role, locale)
    await set_chat_menu(app.bot, app.i18n, Actor(81, frozenset({Role.stranger}), "zh"))
    call = api.requests[-1]
    assert isinstance(call, SetMyCommands)
    assert "bulletins" not in [c.command for c in call.commands]
