"""A published issue delivered by the engine: the card each recipient gets, 已阅, what staff see
of it (read count, the unread list, a reminder), and who cannot read it."""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram.methods import SendMessage
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from bot.app import App
from bot.deliveries.sender import DeliverySender
from handlers.audience_keyboard import BROADCAST_FLOW, BULLETIN_FLOW, AudiencePick
from handlers.audience_keyboard import Press as Pick
from handlers.broadcast import Answer, BroadcastCard
from handlers.broadcast_render import BroadcastControl
from handlers.bulletin_publish_keyboards import Press, PreviewPress
from handlers.bulletin_readers import Remind, Unread
from handlers.bulletins_keyboards import MarkRead, OpenArticle, OpenIssue, OriginalFile
from services.broadcasts.access import Action
from services.bulletins.files import read_issue_file
from services.bulletins.importing import store_issue
from services.deliveries.model import Representatives
from storage.broadcasts import Broadcast
from storage.bulletin_models import BulletinIssue, BulletinRead
from storage.bulletins import list_articles
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Delegation
from tests.bulletin_kit import publish_issue_to
from tests.conftest import ADMIN_ID
from tests.factories import add_delegation, add_representative, add_staff, make_user
from tests.handlers.test_bulletin_publish import DATA, HEADINGS, SEED
from tests.harness import Harness

STAFF, OTHER_STAFF, REP, REP2, OUTSIDER = 7501, 7502, 7511, 7512, 7513
NOW = datetime(2024, 3, 22, 1, 0, tzinfo=UTC)
NOT_AVAILABLE = "该期简报不存在，或您无权查看。"


async def roster(session: AsyncSession) -> tuple[Delegation, Delegation]:
    luoyang = await add_delegation(session)
    nanyang = await add_delegation(session, "驻宛省十四届人大代表")
    await add_staff(session, telegram_id=STAFF, delegations=[luoyang])
    await add_staff(session, telegram_id=OTHER_STAFF, delegations=[nanyang])
    await add_representative(session, telegram_id=REP, delegation=luoyang, name="王建国")
    await add_representative(
        session, telegram_id=REP2, delegation=luoyang, name="李<红>梅", language="en"
    )
    await add_representative(session, telegram_id=OUTSIDER, delegation=nanyang, name="张伟")
    return luoyang, nanyang


async def published(session: AsyncSession, delegation: Delegation) -> BulletinIssue:
    parsed = read_issue_file(SEED, "4.txt").issue
    stored = await store_issue(
        session=session, parsed=parsed, original=None, replace=False, now=NOW
    )
    assert delegation.id is not None
    audience = Representatives(frozenset({delegation.id}))
    await publish_issue_to(session, stored.issue, audience, NOW)
    await session.commit()
    return stored.issue


def sender(app: App) -> DeliverySender:
    return DeliverySender(app.bot, app.sessionmaker, app.i18n, app.settings)


def last_buttons(tg: Harness, chat_id: int) -> dict[str, str]:
    for request in reversed(tg.api.sent(chat_id)):
        markup = getattr(request, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            return {b.text: str(b.callback_data) for row in markup.inline_keyboard for b in row}
    return {}


async def count(session: AsyncSession, table: type) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_two_receive_it_one_reads_staff_see_one_of_two_and_remind_the_other(
    tg: Harness, session: AsyncSession, app: App
) -> None:
    luoyang, _ = await roster(session)
    issue = await published(session, luoyang)
    assert await sender(app).run_once() == 2
    card = tg.api.sent(REP)[-1]
    assert isinstance(card, SendMessage)
    assert card.text.startswith("<b>代表工作 · 2024年第4期</b>\n2024年3月21日（周四）")
    assert list(last_buttons(tg, REP)) == [
        f"1. {HEADINGS[0]}",
        f"2. {HEADINGS[1]}",
        "已阅",
        "全部期刊",
    ]
    # The other representative reads English, and gets the card in English.
    assert tg.api.last_text(REP2).startswith("<b>代表工作 · 2024 No. 4</b>\nThu 21 Mar 2024")
    assert "Read" in last_buttons(tg, REP2)
    assert tg.api.sent(OUTSIDER) == []
    # An article button of the delivered card opens the article.
    await tg.press(make_user(REP), last_buttons(tg, REP)[f"1. {HEADINGS[0]}"])
    assert tg.api.last_text(REP).startswith(f"<b>{HEADINGS[0]}</b>")
    await tg.press(make_user(REP), MarkRead(issue_id=issue.id or 0))
    assert tg.api.alerts()[-1] == "已记录为已阅，谢谢。"
    staff = make_user(STAFF)
    await tg.send(staff, "/bulletins")
    await tg.press_label(staff, "2024年第4期")
    assert tg.api.last_text(STAFF).endswith("您负责范围内 2 人中已阅 1 人。")
    await tg.press_label(staff, "未阅（1）")
    unread = tg.api.last_text(STAFF)
    assert unread.split("\n") == [
        "<b>尚未阅读 2024年第4期</b>",
        "您负责范围内 2 人中已阅 1 人。",
        "",
        "1. 李&lt;红&gt;梅",
    ]
    await tg.press_label(staff, "提醒未阅者")
    assert tg.api.alerts()[-1] == "提醒正在发送给 1 位未阅者。"
    assert await sender(app).run_once() == 1
    reminder = tg.api.last_text(REP2)
    assert reminder.startswith("Reminder: you have not yet marked <b>代表工作 · 2024 No. 4</b>")
    assert last_buttons(tg, REP2) == {"Open the issue": OpenIssue(issue_id=issue.id or 0).pack()}
    await tg.press_label(staff, "提醒未阅者")
    assert tg.api.alerts()[-1] == "今天已就本期发过提醒，明天可再发送。"
    assert await count(session, Delivery) == 2


async def test_publishing_again_queues_nothing_again(
    tg: Harness, session: AsyncSession, app: App
) -> None:
    luoyang, _ = await roster(session)
    issue = await published(session, luoyang)
    first = await count(session, DeliveryRecipient)
    again = await publish_issue_to(session, issue, Representatives(None), NOW)
    await session.commit()
    assert not again.new
    assert await count(session, Delivery) == 1
    assert await count(session, DeliveryRecipient) == first == 2
    assert await sender(app).run_once() == 2
    assert await sender(app).run_once() == 0
    assert tg.api.sent(OUTSIDER) == []


async def test_a_forged_read_of_an_issue_not_received_records_nothing(
    tg: Harness, session: AsyncSession
) -> None:
    luoyang, _ = await roster(session)
    issue = await published(session, luoyang)
    outsider = make_user(OUTSIDER)
    await tg.press(outsider, MarkRead(issue_id=issue.id or 0))
    await tg.press(outsider, OpenIssue(issue_id=issue.id or 0))
    assert tg.api.alerts() == [NOT_AVAILABLE, NOT_AVAILABLE]
    assert await count(session, BulletinRead) == 0
    assert await tg.send(outsider, "/bulletins") == "还没有发布的简报。"


async def test_staff_of_another_scope_see_nothing_of_it(tg: Harness, session: AsyncSession) -> None:
    luoyang, _ = await roster(session)
    issue = await published(session, luoyang)
    other = make_user(OTHER_STAFF)
    assert await tg.send(other, "/bulletins") == "还没有发布的简报。"
    await tg.press(other, OpenIssue(issue_id=issue.id or 0))
    await tg.press(other, "bunr:" + str(issue.id) + ":0:0")
    await tg.press(other, "brem:" + str(issue.id))
    assert tg.api.alerts() == [NOT_AVAILABLE] * 3
    assert await count(session, Delivery) == 1


async def test_a_correction_replacing_the_issue_keeps_the_delivered_buttons_working(
    tg: Harness, session: AsyncSession, app: App
) -> None:
    """`bulletin import --replace` after delivery: the cards representatives hold carry article
    ids, which a correction under the same headings keeps."""
    luoyang, _ = await roster(session)
    await published(session, luoyang)
    assert await sender(app).run_once() == 2
    delivered = last_buttons(tg, REP)
    # Another issue stored since, as in any archive: new rows would take new ids.
    later = read_issue_file((DATA / "bulletin_2024_07.txt").read_bytes(), "7.txt").issue
    await store_issue(session=session, parsed=later, original=None, replace=False, now=NOW)
    corrected = SEED.decode("utf-8").replace("近日，洛阳市人大常委会", "3月中旬，洛阳市人大常委会")
    parsed = read_issue_file(corrected.encode("utf-8"), "4.txt").issue
    await store_issue(session=session, parsed=parsed, original=None, replace=True, now=NOW)
    await session.commit()
    await tg.press(make_user(REP), delivered[f"1. {HEADINGS[0]}"])
    article = tg.api.last_text(REP)
    assert article.startswith(f"<b>{HEADINGS[0]}</b>")
    assert "3月中旬，洛阳市人大常委会" in article
    await tg.press(make_user(REP), delivered[f"2. {HEADINGS[1]}"])
    assert tg.api.last_text(REP).startswith(f"<b>{HEADINGS[1]}</b>")
    assert NOT_AVAILABLE not in tg.api.alerts()


async def test_staff_of_two_scopes_each_remind_their_own_unread_the_same_day(
    tg: Harness, session: AsyncSession, app: App
) -> None:
    luoyang, nanyang = await roster(session)
    parsed = read_issue_file(SEED, "4.txt").issue
    stored = await store_issue(
        session=session, parsed=parsed, original=None, replace=False, now=NOW
    )
    assert luoyang.id is not None
    assert nanyang.id is not None
    both = Representatives(frozenset({luoyang.id, nanyang.id}))
    await publish_issue_to(session, stored.issue, both, NOW)
    await session.commit()
    issue_id = stored.issue.id or 0
    await tg.press(make_user(STAFF), Remind(issue_id=issue_id))
    assert tg.api.alerts()[-1] == "提醒正在发送给 2 位未阅者。"
    # Nanyang's staff, the same day: their one unread representative is reminded too.
    await tg.press(make_user(OTHER_STAFF), Remind(issue_id=issue_id))
    assert tg.api.alerts()[-1] == "提醒正在发送给 1 位未阅者。"
    await tg.press(make_user(OTHER_STAFF), Remind(issue_id=issue_id))
    assert tg.api.alerts()[-1] == "今天已就本期发过提醒，明天可再发送。"
    reminders = await session.scalars(
        select(col(Delivery.dedupe_key)).where(col(Delivery.dedupe_key).contains(":remind:"))
    )
    day = datetime.now(UTC).date().isoformat()
    assert sorted(reminders.all()) == [
        f"bulletin:2024:4:remind:{day}:d{luoyang.id}",
        f"bulletin:2024:4:remind:{day}:d{nanyang.id}",
    ]
    assert await sender(app).run_once() == 3 + 3
    for chat in (REP, REP2, OUTSIDER):
        assert tg.api.last_text(chat).startswith(("提醒", "Reminder"))
    # An admin the same day: everyone unread was reminded already, under one scope or another.
    admin = make_user(ADMIN_ID)
    await tg.press(admin, Remind(issue_id=issue_id))
    assert tg.api.alerts()[-1] == "今天已就本期发过提醒，明天可再发送。"
    assert await count(session, Delivery) == 3


async def test_search_finds_and_counts_only_issues_one_may_read(
    tg: Harness, session: AsyncSession
) -> None:
    """Nothing of an issue delivered elsewhere shows, not even in the count of hits."""
    luoyang, nanyang = await roster(session)
    await published(session, nanyang)
    later = read_issue_file((DATA / "bulletin_2024_07.txt").read_bytes(), "7.txt").issue
    stored = await store_issue(session=session, parsed=later, original=None, replace=False, now=NOW)
    assert luoyang.id is not None
    await publish_issue_to(session, stored.issue, Representatives(frozenset({luoyang.id})), NOW)
    await session.commit()
    found = await tg.send(make_user(REP), "/search 洛阳")
    assert "2024年第7期" in found
    assert "2024年第4期" not in found
    assert "共" not in found
    assert await tg.send(make_user(OUTSIDER), "/search Deputy Home") == (
        "没有找到与“Deputy Home”相关的内容。请换个词，或减少关键词。"
    )


async def test_forged_staff_buttons_change_nothing_for_a_representative_or_another_scope(
    tg: Harness, session: AsyncSession, app: App
) -> None:
    luoyang, nanyang = await roster(session)
    issue = await published(session, luoyang)
    issue_id = issue.id or 0
    assert nanyang.id is not None
    assert await sender(app).run_once() == 2
    rep = make_user(REP)
    # Publish is heard only in the staff member's own confirm step: stale for anyone else.
    await tg.press(rep, PreviewPress(press=Press.publish, issue=issue_id))
    assert tg.api.alerts()[-1] == "该按钮已失效，请重新开始。"
    for forged in (
        PreviewPress(press=Press.audience, issue=issue_id),
        PreviewPress(press=Press.open_draft, issue=issue_id),
        AudiencePick(flow=BULLETIN_FLOW, press=Pick.delegation, item=nanyang.id),
        AudiencePick(flow=BROADCAST_FLOW, press=Pick.done),
        Remind(issue_id=issue_id),
        Unread(issue_id=issue_id),
        BroadcastCard(card=1, answer=Answer.now),
        BroadcastControl(broadcast=1, action=Action.cancel),
    ):
        await tg.press(rep, forged)
        assert tg.api.alerts()[-1] == "您的角色无法使用此功能。发送 /help 查看可用功能。", forged
    # Staff of Nanyang: the issue went to Luoyang only; its articles open nothing for them.
    first, _second = await list_articles(session=session, issue_id=issue_id)
    other = make_user(OTHER_STAFF)
    await tg.press(other, OpenArticle(article_id=first.id or 0))
    await tg.press(other, OriginalFile(issue_id=issue_id))
    await tg.press(other, MarkRead(issue_id=issue_id))
    assert tg.api.alerts()[-3:] == [NOT_AVAILABLE] * 3
    assert tg.api.texts(OTHER_STAFF) == []
    assert await count(session, Delivery) == 1
    assert await count(session, BulletinRead) == 0
    assert await count(session, Broadcast) == 0
