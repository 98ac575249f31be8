"""A group meeting through the emulator, with the bot as its own process and its clock moved
through CLOCK_FILE: scheduled by the group leader, the notice and an answer, the 2-hour reminder
from the scheduler's tick, a check-in with the code the organiser shows, and the one-tap log."""

from __future__ import annotations

import asyncio
import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import col, select

from bot.emulator.errors import JsonDict
from services.clock import write_offset
from services.dates import format_date, local_today
from storage.db import create_engine
from storage.delivery_models import DeliveryRecipient, RecipientState
from storage.types import utcnow
from tests.e2e.conftest import BotProcess, prepare_database
from tests.e2e.test_activities import Chat, labels
from tests.meeting_kit import BEIJING, LEADER, WANG, build_world

pytestmark = pytest.mark.e2e


async def _all_marked(database_url: str) -> None:
    """Waits until the sender has marked every row it sent: a clock moved hours forward while
    a row is still leased would see the lease expired and send it again."""
    engine = create_engine(database_url)
    try:
        async with asyncio.timeout(20):
            while True:
                async with engine.connect() as connection:
                    open_rows = await connection.scalar(
                        select(func.count())
                        .select_from(DeliveryRecipient)
                        .where(col(DeliveryRecipient.state) == RecipientState.sending)
                    )
                if not open_rows:
                    return
                await asyncio.sleep(0.05)
    finally:
        await engine.dispose()


def _move(path: Path, to: datetime) -> None:
    """The bot process reads `to` (and the time flowing on from it) from now on."""
    write_offset(path, to - utcnow())


async def _wait_for(chat: Chat, start: str) -> JsonDict:
    """The bot's next message to the chat that starts with `start`; the leader, a member too,
    gets the members' reminders between the organiser's answers."""
    seen = []
    for _ in range(5):
        view = await chat.reply()
        text = view["message"].get("text") or ""
        if text.startswith(start):
            return view
        seen.append(text)
    raise AssertionError(f"no message starting {start!r}: {seen}")


async def test_schedule_answer_remind_check_in_and_log(bot_factory: Any, tmp_path: Path) -> None:
    clock_file = tmp_path / "clock"
    # Early in a quarter's last month the quarter watch would write to the leader as well:
    # the bot's clock then starts five weeks back.
    today = local_today(utcnow(), BEIJING)
    shift = timedelta(days=-35) if today.month % 3 == 0 and today.day <= 20 else timedelta(0)
    write_offset(clock_file, shift)
    bot: BotProcess = bot_factory()
    bot.extra_env.update(
        CLOCK_FILE=str(clock_file), TICK_SECONDS="0.2", DELIVERY_POLL_SECONDS="0.2"
    )
    engine, sessionmaker = await prepare_database(bot.database_url)
    async with sessionmaker() as session:
        await build_world(session)
    await engine.dispose()
    await bot.start()
    for user_id in (LEADER, WANG):
        bot.users.create_user("代表", user_id=user_id, language_code="zh")
    leader, wang = Chat(bot, LEADER), Chat(bot, WANG)

    day = local_today(utcnow() + shift, BEIJING) + timedelta(days=10)
    start = datetime.combine(day, time(14, 30), tzinfo=BEIJING)
    menu = await leader.say("/meeting")
    question = await leader.press(menu, "新建：第一<小组>（驻洛省十四届人大代表）")
    assert question["text"].startswith("为 第一<小组> 安排新的小组活动。")
    await leader.say("季度调研")
    await leader.say(f"{day.isoformat()} 14:30-16:30")
    skip = await leader.say("市人大502会议室")
    agenda = await leader.press(skip, "跳过")
    preview = await leader.say("文旅融合")
    assert preview["text"].startswith("发布这次小组活动？将立即通知 4 名成员。")
    # The reply, the calendar file and the card come after the update commits; the notice
    # through the delivery engine meanwhile: in either order.
    views = [await leader.press(preview, "发布")] + [await leader.reply() for _ in range(3)]
    texts = {(v["message"].get("text") or "")[:6]: v for v in views}
    assert set(texts) == {"已发布，正在", "代表小组活动", "季度调研 ·", ""}
    assert texts[""]["message"]["document"]["file_name"].endswith(".ics")
    card = texts["季度调研 ·"]
    assert card["text"].startswith("季度调研 · 第一<小组>")
    assert agenda["text"].startswith("请发送议程")

    notice = await _wait_for(wang, "代表小组活动通知")
    assert f"时间：{format_date(day, 'zh')} 14:30–16:30" in notice["text"]
    answered = await wang.press(notice, "✅ 参加")
    assert answered["text"] == "已记录：您将参加 季度调研。届时会有提醒。"

    # Two hours before: the scheduler's tick plans the reminder and the sender sends it.
    await _all_marked(bot.database_url)
    _move(clock_file, start - timedelta(hours=2))
    reminder = await _wait_for(wang, "提醒：小组活动将于 2 小时后开始。")
    assert "签到" in labels(reminder)

    await _all_marked(bot.database_url)
    _move(clock_file, start + timedelta(minutes=5))
    bot.users.press_button(LEADER, card["message_id"], text="🔢 签到码")
    shown = await _wait_for(leader, "签到码：")
    code = re.search(r"签到码：(\d{4})", shown["text"])
    assert code is not None
    checked = await wang.say(code[1])
    assert checked["text"].startswith("已于 14:3") or checked["text"].startswith("已于 14:")
    assert checked["text"].endswith("签到 季度调研。谢谢！")

    # After the end, the one-tap log.
    await _all_marked(bot.database_url)
    _move(clock_file, start + timedelta(hours=2, minutes=1))
    prompt = await _wait_for(wang, "感谢参加。")
    saved = await wang.press(prompt, "登记为我的履职活动")
    assert saved["text"] == (
        f"已登记：小组活动 季度调研，{format_date(day, 'zh')}，3 分。可在 /my 中查看。"
    )
