"""/publish: an issue file or its pasted text, the preview as representatives will see it,
corrections, refusals (a representative, a malformed file, a published issue), a draft replaced."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from aiogram.methods import SendDocument, SendMessage, SetMyCommands
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.app import App
from handlers.menu import set_chat_menu
from services.actors import Actor
from services.bulletins.files import read_issue_file
from services.bulletins.importing import store_issue
from services.deliveries.model import Representatives
from services.permissions import Role
from storage.bulletin_models import BulletinIssue, BulletinRead, IssueState
from tests.bulletin_kit import publish_issue_to
from tests.factories import add_delegation, add_representative, add_staff, make_document, make_user
from tests.fakes import FakeSession
from tests.harness import Harness

STAFF, REP = 7401, 7402
DATA = Path(__file__).resolve().parent.parent / "data"
SEED = (DATA / "000_a1bcc203f270e66c.txt").read_bytes()
HEADINGS = [
    "组织驻洛省十四届人大代表开展第一季度小组活动",
    "南阳市：召开专题现场会推进主题活动在全市迅速铺开",
]
NOW = datetime(2024, 3, 22, 1, 0, tzinfo=UTC)


async def people(session: AsyncSession) -> None:
    delegation = await add_delegation(session)
    await add_staff(session, telegram_id=STAFF, delegations=[delegation])
    await add_representative(session, telegram_id=REP, delegation=delegation)
    await session.commit()


def keyboards(tg: Harness, chat_id: int) -> list[dict[str, str]]:
    found = []
    for request in tg.api.sent(chat_id):
        markup = getattr(request, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            found.append(
                {b.text: str(b.callback_data) for row in markup.inline_keyboard for b in row}
            )
    return found


async def issues(session: AsyncSession) -> list[BulletinIssue]:
    found = await session.scalars(
        select(BulletinIssue)
        .order_by(col(BulletinIssue.id))
        .execution_options(populate_existing=True)
    )
    return list(found.all())


async def send_seed(tg: Harness, name: str = "代表工作第4期.txt", data: bytes = SEED) -> None:
    staff = make_user(STAFF)
    await tg.send(staff, "/publish")
    await tg.feed(make_document(data, name, user=staff, files=tg.api.files))


async def test_the_preview_is_the_card_representatives_get_with_the_original_file(
    tg: Harness, session: AsyncSession
) -> None:
    await people(session)
    prompt = await tg.send(make_user(STAFF), "/publish")
    assert "DOCX" in prompt
    tg.api.clear()
    upload = make_document(SEED, "代表工作第4期.txt", user=make_user(STAFF), files=tg.api.files)
    await tg.feed(upload)
    assert upload.message is not None
    assert upload.message.document is not None
    sent = tg.api.sent(STAFF)
    assert [type(r) for r in sent] == [SendMessage, SendDocument, SendMessage]
    card, original, control = sent
    assert isinstance(card, SendMessage)
    assert isinstance(control, SendMessage)
    assert card.text.startswith("<b>代表工作 · 2024年第4期</b>\n2024年3月21日（周四）")
    assert "今年省人大常委会决定在全省组织开展" in card.text
    assert "本期共2篇文章" in card.text
    card_buttons = keyboards(tg, STAFF)[0]
    assert list(card_buttons) == [
        f"1. {HEADINGS[0]}",
        f"2. {HEADINGS[1]}",
        "已阅",
        "原件",
        "全部期刊",
    ]
    assert isinstance(original, SendDocument)
    assert original.document == upload.message.document.file_id
    assert "以上是代表将收到的 2024年第4期，尚未发送。" in control.text
    assert "年份：2024\n期号：4\n标题：代表工作\n文章：2" in control.text
    (issue,) = await issues(session)
    assert (issue.year, issue.number, issue.state) == (2024, 4, IssueState.draft)
    # The preview's buttons open the draft for staff, as the issue will open for readers.
    await tg.press(make_user(STAFF), card_buttons[f"1. {HEADINGS[0]}"])
    assert tg.api.last_text(STAFF).startswith(f"<b>{HEADINGS[0]}</b>")
    # 已阅 on a draft records nothing, and a representative cannot open a draft at all.
    await tg.press(make_user(STAFF), card_buttons["已阅"])
    await tg.press(make_user(REP), card_buttons[f"1. {HEADINGS[0]}"])
    assert tg.api.alerts()[-2:] == ["该期简报不存在，或您无权查看。"] * 2
    reads = await session.scalar(select(func.count()).select_from(BulletinRead))
    assert reads == 0


async def test_pasted_text_and_a_corrected_number_and_title(
    tg: Harness, session: AsyncSession
) -> None:
    await people(session)
    staff = make_user(STAFF)
    await tg.send(staff, "/publish")
    await tg.send(staff, SEED.decode("utf-8"))
    assert "期号：4" in tg.api.last_text(STAFF)
    assert not [r for r in tg.api.sent(STAFF) if isinstance(r, SendDocument)]
    await tg.press_label(staff, "期号")
    assert tg.api.last_text(STAFF) == "请输入该期在当年的期号，例如 4。"
    assert await tg.send(staff, "四") == "期号须为 1 至 999 之间的整数，例如 4。"
    control = await tg.send(staff, "5")
    assert "以上是代表将收到的 2024年第5期" in control
    await tg.press_label(staff, "标题")
    control = await tg.send(staff, "代表工作<增刊>")
    assert "标题：代表工作&lt;增刊&gt;" in control
    assert "<b>代表工作&lt;增刊&gt; · 2024年第5期</b>" in tg.api.texts(STAFF)[-2]
    (issue,) = await issues(session)
    assert (issue.number, issue.title) == (5, "代表工作<增刊>")


async def test_a_number_taken_by_another_issue_is_refused(
    tg: Harness, session: AsyncSession
) -> None:
    await people(session)
    await send_seed(tg)
    await tg.send(make_user(STAFF), "/cancel")
    second = SEED.replace("第 4 期".encode(), "第 6 期".encode())
    await send_seed(tg, "第6期.txt", second)
    await tg.press_label(make_user(STAFF), "期号")
    answer = await tg.send(make_user(STAFF), "4")
    assert answer == "2024年第4期已存在，请换一个年份或期号。"
    assert [(i.number, i.state) for i in await issues(session)] == [
        (4, IssueState.draft),
        (6, IssueState.draft),
    ]


async def test_a_malformed_file_names_its_line_and_stores_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    await people(session)
    broken = SEED.replace("第 4 期".encode(), "第 X 期".encode())
    await send_seed(tg, "broken.txt", broken)
    assert tg.api.last_text(STAFF) == "第5行：“第 X 期”——期号请用数字书写，如“第 4 期”。"
    await tg.feed(make_document(b"%PDF-1.4", "a.pdf", user=make_user(STAFF), files=tg.api.files))
    assert "PDF" in tg.api.last_text(STAFF)
    assert await issues(session) == []


async def test_a_published_issue_is_refused_and_a_draft_offered_to_be_replaced(
    tg: Harness, session: AsyncSession
) -> None:
    await people(session)
    await send_seed(tg)
    await tg.send(make_user(STAFF), "/cancel")
    await send_seed(tg)
    assert "2024年第4期已存为草稿" in tg.api.last_text(STAFF)
    await tg.press_label(make_user(STAFF), "替换草稿")
    assert "以上是代表将收到的 2024年第4期" in tg.api.last_text(STAFF)
    (issue,) = await issues(session)
    await publish_issue_to(session, issue, Representatives(None), NOW)
    await session.commit()
    await send_seed(tg)
    assert tg.api.last_text(STAFF).startswith("2024年第4期已发布，不能替换。")
    (issue,) = await issues(session)
    assert issue.state == IssueState.published


async def test_representatives_cannot_publish_and_do_not_see_it_in_their_menu(
    tg: Harness, session: AsyncSession, app: App
) -> None:
    await people(session)
    refused = await tg.send(make_user(REP), "/publish")
    assert refused == "您的角色无法使用此功能。发送 /help 查看可用功能。"
    await tg.feed(make_document(SEED, "4.txt", user=make_user(REP), files=tg.api.files))
    assert await issues(session) == []
    assert isinstance(app.bot.session, FakeSession)
    rep = Actor(telegram_id=REP, roles=frozenset({Role.representative}), locale="zh")
    staff = Actor(telegram_id=STAFF, roles=frozenset({Role.staff}), locale="zh")
    for actor in (rep, staff):
        await set_chat_menu(app.bot, app.i18n, actor)
    menus = [r for r in app.bot.session.requests if isinstance(r, SetMyCommands)]
    assert "publish" not in [c.command for c in menus[0].commands]
    assert "publish" in [c.command for c in menus[1].commands]


async def test_a_stored_draft_is_offered_and_opens_as_its_preview(
    tg: Harness, session: AsyncSession
) -> None:
    await people(session)
    parsed = read_issue_file((DATA / "bulletin_2024_07.txt").read_bytes(), "7.txt").issue
    await store_issue(session=session, parsed=parsed, original=None, replace=False, now=NOW)
    await session.commit()
    prompt = await tg.send(make_user(STAFF), "/publish")
    assert prompt.endswith("或发布已存的草稿：")
    await tg.press_label(make_user(STAFF), "草稿：2024年第7期")
    assert "以上是代表将收到的 2024年第7期，尚未发送。" in tg.api.last_text(STAFF)
    assert not [r for r in tg.api.sent(STAFF) if isinstance(r, SendDocument)]
