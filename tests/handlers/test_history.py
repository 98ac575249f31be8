"""/my: the list, its pages and filters, and an entry's card, as a representative sees them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from aiogram.methods import EditMessageText, SendDocument, SendMessage, SendPhoto
from aiogram.types import InlineKeyboardMarkup
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.history_keyboards import EntryCallback, HistoryCallback
from storage.duty_models import ActivityAttachment, AttachmentKind
from storage.models import Person
from tests.factories import (
    add_activity,
    add_activity_types,
    add_delegation,
    add_representative,
    make_user,
)
from tests.handlers.log_support import guided_to_card, last_card, seed_rep
from tests.harness import Harness

REP, OTHER = 7101, 7102
# Monday 20 May 2024 in Shanghai: the second quarter of 2024.
NOW = datetime(2024, 5, 20, 4, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in ("handlers.history", "handlers.history_delete"):
        monkeypatch.setattr(f"{module}.utcnow", lambda: NOW)


async def two_representatives(session: AsyncSession) -> tuple[Person, Person]:
    delegation = await add_delegation(session)
    await add_activity_types(session)
    mine = await add_representative(session, telegram_id=REP, delegation=delegation)
    other = await add_representative(
        session, telegram_id=OTHER, delegation=delegation, name="李红梅"
    )
    return mine, other


async def speak_english(session: AsyncSession, person: Person) -> None:
    person.language = "en"
    session.add(person)
    await session.commit()


def buttons(tg: Harness, chat_id: int) -> dict[str, str]:
    """Label → callback data of the last keyboard sent or edited into `chat_id`'s chat."""
    for request in reversed(tg.api.sent(chat_id)):
        markup = getattr(request, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            return {b.text: str(b.callback_data) for row in markup.inline_keyboard for b in row}
    return {}


def last_markup(tg: Harness, chat_id: int) -> object:
    return getattr(tg.api.sent(chat_id)[-1], "reply_markup", None)


async def test_empty_history_points_to_log(tg: Harness, session: AsyncSession) -> None:
    mine, _other = await two_representatives(session)
    await session.commit()
    answer = await tg.send(make_user(REP), "/my")
    assert answer == "您还没有登记履职活动。发送 /log 即可登记。"
    assert last_markup(tg, REP) is None
    await speak_english(session, mine)
    english = await tg.send(make_user(REP, language_code="en"), "/my")
    assert english == "No activities recorded yet. Send /log to record one."


async def test_lines_newest_first_with_quarter_points_on_top(
    tg: Harness, session: AsyncSession
) -> None:
    mine, other = await two_representatives(session)
    await add_activity(session, mine, happened_on=date(2024, 3, 15), place="洛阳博物馆")
    await add_activity(
        session,
        mine,
        type_code="reception",
        happened_on=date(2024, 5, 15),
        place="<b>西工区</b>联络站",
        summary="接待群众 " + "很长的摘要" * 30,
    )
    await add_activity(session, mine, type_code="research", happened_on=date(2024, 5, 15))
    await add_activity(session, other, happened_on=date(2024, 5, 16), summary="别人的记录")
    await session.commit()
    answer = await tg.send(make_user(REP), "/my")
    lines = answer.split("\n")
    # Q2 2024 holds the research visit (3) and the reception (2); March is Q1.
    assert lines[:3] == ["<b>2024年第二季度积分：5</b>", "共3条，第1/1页", ""]
    # One day's later entry first.
    assert lines[3] == "<b>1.</b> 2024年5月15日（周三） · 调研 · 3分"
    assert lines[5].startswith(
        "<b>2.</b> 2024年5月15日（周三） · 接待群众 · &lt;b&gt;西工区&lt;/b&gt;联络站 · 2分"
    )
    assert lines[6] == "    接待群众 " + ("很长的摘要" * 11)[:54] + "…"
    assert lines[7] == "<b>3.</b> 2024年3月15日（周五） · 视察 · 洛阳博物馆 · 3分"
    assert "别人的记录" not in answer
    assert list(buttons(tg, REP)) == ["1", "2", "3", "按季度 ▾", "按类型 ▾"]
    await speak_english(session, mine)
    english = await tg.send(make_user(REP, language_code="en"), "/my")
    assert english.startswith("<b>Q2 2024 points: 5</b>\nEntries: 3, page 1 of 1\n")
    assert "<b>3.</b> Fri 15 Mar 2024 · Inspection · 洛阳博物馆 · 3 pts" in english


@pytest.mark.parametrize(
    ("count", "first_page_next", "second_page_lines"),
    [(10, False, None), (11, True, 1), (25, True, 10)],
)
async def test_pagination_edges(
    tg: Harness,
    session: AsyncSession,
    count: int,
    first_page_next: bool,
    second_page_lines: int | None,
) -> None:
    mine, _other = await two_representatives(session)
    first = date(2024, 5, 19)
    for number in range(count):
        await add_activity(session, mine, happened_on=first - timedelta(days=number))
    await session.commit()
    answer = await tg.send(make_user(REP), "/my")
    pages = -(-count // 10)
    assert f"共{count}条，第1/{pages}页" in answer
    assert answer.count("\n<b>") == 10
    labels = buttons(tg, REP)
    assert [label for label in labels if label.isdigit()] == [str(n) for n in range(1, 11)]
    assert "‹" not in labels
    assert ("›" in labels) is first_page_next
    if second_page_lines is None:
        return
    await tg.press(make_user(REP), labels["›"])
    edited = tg.api.sent(REP)[-1]
    assert isinstance(edited, EditMessageText)
    text = edited.text or ""
    assert f"共{count}条，第2/{pages}页" in text
    assert text.count("\n<b>") == second_page_lines
    assert "<b>11.</b> 2024年5月9日（周四）" in text
    after = buttons(tg, REP)
    assert "‹" in after
    assert ("›" in after) is (count > 20)
    assert "11" in after


async def test_filters_by_quarter_and_type(tg: Harness, session: AsyncSession) -> None:
    mine, _other = await two_representatives(session)
    await add_activity(session, mine, happened_on=date(2023, 11, 2), summary="去年四季度")
    await add_activity(session, mine, happened_on=date(2024, 2, 1), summary="一季度视察")
    await add_activity(
        session, mine, type_code="reception", happened_on=date(2024, 2, 7), summary="一季度接待"
    )
    await add_activity(session, mine, happened_on=date(2024, 5, 1), summary="二季度视察")
    await session.commit()
    user = make_user(REP)
    await tg.send(user, "/my")
    await tg.press_label(user, "按季度 ▾")
    quarters = buttons(tg, REP)
    assert list(quarters) == ["2024年第二季度", "2024年第一季度", "2023年第四季度", "✓ 全部季度"]
    await tg.press(user, quarters["2024年第一季度"])
    text = tg.api.texts(REP)[-1]
    assert text.startswith("<b>2024年第一季度积分：5</b>\n筛选：2024年第一季度\n共2条，第1/1页")
    assert "一季度接待" in text
    assert "二季度视察" not in text
    await tg.press_label(user, "按类型 ▾")
    types = buttons(tg, REP)
    assert len(types) == 13
    assert "✓ 全部类型" in types
    await tg.press(user, types["视察"])
    text = tg.api.texts(REP)[-1]
    assert "筛选：2024年第一季度 · 视察\n共1条，第1/1页" in text
    assert "一季度视察" in text
    assert "一季度接待" not in text
    await tg.press(user, HistoryCallback(year=2024, quarter=4, type_id=0, page=0))
    assert "没有符合筛选条件的记录。" in tg.api.texts(REP)[-1]


async def test_deleted_entries_are_not_shown(tg: Harness, session: AsyncSession) -> None:
    mine, _other = await two_representatives(session)
    await add_activity(session, mine, summary="还在")
    await add_activity(session, mine, summary="删掉了", deleted_at=NOW)
    await session.commit()
    answer = await tg.send(make_user(REP), "/my")
    assert "共1条" in answer
    assert "删掉了" not in answer


async def test_entry_card_with_long_summary_and_attachments(
    tg: Harness, session: AsyncSession
) -> None:
    mine, _other = await two_representatives(session)
    summary = "<i>调研</i>" + "文旅文创融合发展情况。" * 450
    activity = await add_activity(
        session,
        mine,
        summary=summary,
        place="洛阳博物馆",
        latitude=34.6197,
        longitude=112.4539,
        for_bulletin=True,
        bulletin_note="可编入第5期",
    )
    assert activity.id is not None
    session.add_all(
        [
            ActivityAttachment(
                activity_id=activity.id, kind=AttachmentKind.photo, file_id="p-1", position=0
            ),
            ActivityAttachment(
                activity_id=activity.id,
                kind=AttachmentKind.document,
                file_id="d-1",
                file_name="纪要.pdf",
                position=1,
            ),
        ]
    )
    await session.commit()
    user = make_user(REP)
    await tg.send(user, "/my")
    open_first = buttons(tg, REP)["1"]
    tg.api.clear()
    await tg.press(user, open_first)
    sent = tg.api.sent(REP)
    parts = [r for r in sent if isinstance(r, SendMessage)]
    assert len(parts) == 2
    assert all(len(part.text) <= 4096 for part in parts)
    card = parts[0].text
    assert card.startswith("<b>视察</b>\n日期：2024年3月15日（周五）\n地点：洛阳博物馆\n")
    details = "位置：34.61970，112.45390\n积分：3\n推荐上简报：是\n简报稿：可编入第5期\n附件：2个"
    assert details in card
    assert "内容：\n&lt;i&gt;调研&lt;/i&gt;文旅" in card
    joined = "".join(part.text for part in parts).replace("\n", "")
    assert joined.count("文旅文创融合发展情况。") == 450
    assert parts[0].reply_markup is None
    labels = buttons(tg, REP)
    assert labels == {
        "修改": f"aedit:{activity.id}",
        "删除": f"mydel:{activity.id}",
        "返回列表": "my:0:0:0:0:l",
    }
    photo, document = [r for r in sent if isinstance(r, (SendPhoto, SendDocument))]
    assert isinstance(photo, SendPhoto)
    assert photo.photo == "p-1"
    assert isinstance(document, SendDocument)
    assert document.document == "d-1"
    await tg.press(user, labels["返回列表"])
    assert tg.api.texts(REP)[-1].startswith("<b>2024年第二季度积分：0</b>")


async def test_another_persons_or_a_deleted_entry_is_not_found(
    tg: Harness, session: AsyncSession
) -> None:
    mine, other = await two_representatives(session)
    theirs = await add_activity(session, other, summary="别人的记录")
    gone = await add_activity(session, mine, deleted_at=NOW)
    await session.commit()
    for activity_id in (theirs.id, gone.id, 999_999):
        assert activity_id is not None
        tg.api.clear()
        forged = EntryCallback(activity_id=activity_id, year=0, quarter=0, type_id=0, page=0)
        await tg.press(make_user(REP), forged)
        assert tg.api.alerts() == ["该记录不存在，或不属于您。"]
        assert tg.api.texts(REP) == []


async def test_an_entry_logged_with_log_is_listed_opened_and_edited(
    tg: Harness, session: AsyncSession
) -> None:
    rep = await seed_rep(session)
    await guided_to_card(tg, rep)
    await tg.press_label(rep.user, "Save")
    answer = await tg.send(rep.user, "/my")
    assert " · Inspection · Luoyang Museum · 3 pts\n    Museum visit" in answer
    await tg.press_label(rep.user, "1")
    assert tg.api.texts(rep.user.id)[-1].startswith("<b>Inspection</b>\nDate: ")
    await tg.press_label(rep.user, "Edit")
    assert "Editing an activity" in last_card(tg, rep.user)
