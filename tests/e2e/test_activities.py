"""A duty activity with a photo, logged through the emulator by the bot process, then found in
/my (the photo sent again by its file id) and in the /record spreadsheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from bot.emulator.errors import JsonDict
from services.config import Settings
from services.dates import format_date, format_quarter, local_today
from services.invitations import issue_invitation
from storage.activity_types import list_activity_types
from storage.types import utcnow
from tests.e2e.conftest import BotProcess, prepare_database
from tests.emulator.helpers import png_bytes
from tests.factories import add_delegation, add_representative

pytestmark = pytest.mark.e2e

USER = 930_101
PLACE = "洛阳博物馆"
SUMMARY = "文旅文创融合调研"
TZ = ZoneInfo(Settings.model_fields["timezone"].default)


@dataclass
class Chat:
    """One user's private chat with the bot process: act, then wait for the bot's next message."""

    bot: BotProcess
    user_id: int
    replies: int = 0

    async def reply(self) -> JsonDict:
        view = await self.bot.users.next_message(self.user_id, 20)
        assert not view["deleted"]
        self.replies += 1
        return view

    async def say(self, text: str) -> JsonDict:
        if text.startswith("/"):
            command, _, args = text.partition(" ")
            self.bot.users.send_command(self.user_id, command, args)
        else:
            self.bot.users.send_message(self.user_id, text)
        return await self.reply()

    async def press(self, view: JsonDict, label: str) -> JsonDict:
        self.bot.users.press_button(self.user_id, view["message_id"], text=label)
        return await self.reply()


def labels(view: JsonDict) -> list[str]:
    markup = view["message"].get("reply_markup") or {"inline_keyboard": []}
    return [button["text"] for row in markup["inline_keyboard"] for button in row]


async def _linked_representative(bot: BotProcess) -> tuple[Chat, int]:
    """王建国 on the roster, linked by his invitation; returns his chat and a 视察's points."""
    engine, sessionmaker = await prepare_database(bot.database_url)
    async with sessionmaker.begin() as session:
        delegation = await add_delegation(session)
        person = await add_representative(session, telegram_id=None, delegation=delegation)
        assert person.id is not None
        issued = await issue_invitation(
            session=session, person_id=person.id, actor_telegram_id=None, now=utcnow(), ttl_days=30
        )
        types = await list_activity_types(session=session)
        (points,) = [kind.points for kind in types if kind.code == "inspection"]
    await engine.dispose()
    await bot.start()
    bot.users.create_user("建国", user_id=USER, language_code="zh")
    chat = Chat(bot, USER)
    assert (await chat.say(f"/start {issued.token}"))["text"].startswith("欢迎您，王建国！")
    return chat, points


async def test_an_activity_with_a_photo_is_in_my_history_and_in_the_duty_record(
    bot_factory: Any,
) -> None:
    bot = bot_factory()
    chat, points = await _linked_representative(bot)

    question = await chat.say("/log")
    assert question["text"] == "这是哪一类履职活动？"
    assert {"视察", "接待群众", "取消"} <= set(labels(question))
    question = await chat.press(question, "视察")
    assert question["text"].startswith("活动是哪天进行的？")
    assert labels(question) == ["今天", "昨天", "日历", "取消"]
    question = await chat.press(question, "今天")
    today = local_today(utcnow(), TZ)
    assert question["text"].startswith("活动地点在哪里？")
    assert (await chat.say(PLACE))["text"] == "请简要描述活动内容，篇幅不限。"
    question = await chat.say(SUMMARY)
    assert question["text"].startswith("如有照片或文件，请发送（最多 10 个）")

    sent = bot.users.send_photo(USER, png_bytes(640, 480))
    # Telegram sends a thumbnail and the original; the bot keeps the largest.
    photo_id = sent["photo"][-1]["file_id"]
    added = await chat.reply()
    assert added["text"] == "已添加：1/10。可以继续发送，或点击“完成”。"
    card = await chat.press(added, "完成")
    assert card["text"].splitlines() == [
        "请核对后保存",
        "类型：视察",
        f"日期：{format_date(today, 'zh')}",
        f"地点：{PLACE}",
        f"内容：{SUMMARY}",
        "照片和文件：1 个",
        f"积分：{points}",
        "推荐上简报：否",
    ]
    saved = await chat.press(card, "保存")
    quarter = format_quarter(today.year, (today.month - 1) // 3 + 1, "zh")
    total = f"您在{quarter}的累计积分：{points}"
    assert saved["text"] == f"✅ 已保存。\n本次活动积分：{points}\n{total}"
    card_now = next(v for v in bot.users.messages(USER) if v["message_id"] == card["message_id"])
    assert "保存" not in labels(card_now)

    await _found_in_my_history(chat, today, quarter, points, photo_id)
    await _found_in_the_duty_record(chat, today, points)
    # Every message the bot sent was one of the answers checked above.
    assert len(bot.users.messages(USER)) == chat.replies


async def _found_in_my_history(
    chat: Chat, today: date, quarter: str, points: int, photo_id: str
) -> None:
    listing = await chat.say("/my")
    headline = f"{format_date(today, 'zh')} · 视察 · {PLACE}"
    assert listing["text"].splitlines() == [
        f"{quarter}积分：{points}",
        "共1条，第1/1页",
        "",
        f"1. {headline} · {points}分",
        f"    {SUMMARY}",
    ]
    entry = await chat.press(listing, "1")
    assert entry["text"].splitlines()[:5] == [
        "视察",
        f"日期：{format_date(today, 'zh')}",
        f"地点：{PLACE}",
        f"积分：{points}",
        "附件：1个",
    ]
    assert entry["text"].endswith(f"内容：\n{SUMMARY}")
    assert labels(entry) == ["修改", "删除", "返回列表"]
    # The photo comes back by the file id the user's client gave: nothing was downloaded.
    photo = await chat.reply()
    assert photo["message"]["photo"][-1]["file_id"] == photo_id


async def _found_in_the_duty_record(chat: Chat, today: date, points: int) -> None:
    spreadsheet = await chat.say("/record")
    assert spreadsheet["text"] == f"王建国 {today.year}年履职档案：电子表格"
    document = spreadsheet["message"]["document"]
    assert document["file_name"] == f"履职档案_{today.year}_王建国.xlsx"
    printable = await chat.reply()
    assert printable["text"] == f"王建国 {today.year}年履职档案：可打印的 PDF"

    # The emulator keeps what the bot uploaded, as Telegram would, under the file id it reported.
    stored = chat.bot.emulator.state.files.get(document["file_id"])
    assert stored is not None
    workbook = load_workbook(BytesIO(stored.data), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == ("日期", "活动类型", "地点", "内容摘要", "积分", "供简报")
    day, *rest = rows[1]
    assert isinstance(day, datetime)
    assert (day.date(), *rest) == (today, "视察", PLACE, SUMMARY, points, "否")
    assert len(rows) == 2
