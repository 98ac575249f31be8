"""Issue 4 end to end, the bot a separate process against the emulator: staff publish the seed
file, the delivery engine brings it to the two representatives of their delegation (not to one
outside it), one taps 已阅, and staff see 1 of 2 read and who has not read it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col, select

from bot.emulator.errors import JsonDict
from storage.bulletin_models import BulletinIssue, BulletinRead, IssueState
from storage.delivery_models import Delivery, DeliveryRecipient, RecipientState
from storage.models import Person
from tests.e2e.conftest import BotProcess, prepare_database
from tests.e2e.delivery_kit import until
from tests.factories import add_delegation, add_representative, add_staff

pytestmark = pytest.mark.e2e

SEED = Path(__file__).resolve().parents[1] / "data" / "000_a1bcc203f270e66c.txt"
HEADINGS = [
    "组织驻洛省十四届人大代表开展第一季度小组活动",
    "南阳市：召开专题现场会推进主题活动在全市迅速铺开",
]
STAFF, READER, OTHER, OUTSIDER = 940_001, 940_011, 940_012, 940_013
MASTHEAD = "代表工作 · 2024年第4期"
# Quick to notice the queued issue.
QUICK = {"DELIVERY_POLL_SECONDS": "0.2"}


@dataclass
class Chat:
    """One user's private chat with the bot process."""

    bot: BotProcess
    user_id: int

    async def reply(self) -> JsonDict:
        view = await self.bot.users.next_message(self.user_id, 20)
        assert not view["deleted"]
        return view

    async def say(self, text: str) -> JsonDict:
        command, _, args = text.partition(" ")
        self.bot.users.send_command(self.user_id, command, args)
        return await self.reply()

    def tap(self, view: JsonDict, label: str) -> str:
        return self.bot.users.press_button(self.user_id, view["message_id"], text=label)

    async def press(self, view: JsonDict, label: str) -> JsonDict:
        self.tap(view, label)
        return await self.reply()

    def now(self, view: JsonDict) -> JsonDict:
        """The message as the chat shows it now, edits applied."""
        (found,) = [
            seen
            for seen in self.bot.users.messages(self.user_id)
            if seen["message_id"] == view["message_id"]
        ]
        return found

    async def edited(self, view: JsonDict, label: str) -> JsonDict:
        """Press a button that edits its own message; the message once it changed."""
        before = self.now(view)
        self.tap(view, label)
        await until(lambda: self.now(view) != before, 20, f"{label} edits its message")
        return self.now(view)

    async def answer(self, query_id: str) -> str:
        """The pop-up the bot answered a press with."""
        answers = self.bot.users
        await until(lambda: answers.callback_answer(query_id) is not None, 20, "an answer")
        answer = answers.callback_answer(query_id)
        assert answer is not None
        return str(answer.get("text") or "")


def labels(view: JsonDict) -> list[str]:
    markup = view["message"].get("reply_markup") or {"inline_keyboard": []}
    return [button["text"] for row in markup["inline_keyboard"] for button in row]


async def _roster(bot: BotProcess) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """Staff of the Luoyang delegation, two of its representatives, one of Nanyang's."""
    engine, sessionmaker = await prepare_database(bot.database_url)
    async with sessionmaker.begin() as session:
        luoyang = await add_delegation(session)
        nanyang = await add_delegation(session, "驻宛省十四届人大代表")
        await add_staff(session, telegram_id=STAFF, delegations=[luoyang])
        await add_representative(session, telegram_id=READER, delegation=luoyang, name="王建国")
        await add_representative(session, telegram_id=OTHER, delegation=luoyang, name="李红梅")
        await add_representative(session, telegram_id=OUTSIDER, delegation=nanyang, name="张伟")
    for user_id, name in ((STAFF, "马文静"), (READER, "建国"), (OTHER, "红梅"), (OUTSIDER, "张伟")):
        bot.users.create_user(name, user_id=user_id, language_code="zh")
    bot.extra_env.update(QUICK)
    await bot.start()
    return engine, sessionmaker


async def _publish(staff: Chat) -> None:
    prompt = await staff.say("/publish")
    assert prompt["text"].startswith("请发送简报文件")
    staff.bot.users.send_document(STAFF, SEED.read_bytes(), "代表工作2024第4期.txt")
    card = await staff.reply()
    assert card["text"].startswith(MASTHEAD)
    assert labels(card)[:2] == [f"1. {HEADINGS[0]}", f"2. {HEADINGS[1]}"]
    # The file staff sent comes along, as it will for representatives.
    original = await staff.reply()
    assert original["message"]["document"]["file_name"] == "代表工作2024第4期.txt"
    control = await staff.reply()
    assert control["text"].startswith("以上是代表将收到的 2024年第4期，尚未发送。")
    chooser = await staff.press(control, "选择发送对象")
    assert chooser["text"].startswith("发送给谁？")
    # Staff of Luoyang choose among their own delegation only.
    assert "代表团：驻宛省十四届人大代表" not in labels(chooser)
    chooser = await staff.edited(chooser, "代表团：驻洛省十四届人大代表")
    assert "已选择：2 人将收到。" in chooser["text"]
    confirm = await staff.press(chooser, "继续")
    assert confirm["text"] == "现在将 2024年第4期 发布给 2 人？"
    done = await staff.press(confirm, "发布")
    assert done["text"].startswith("2024年第4期 已发布，正在发送给 2 人。")


async def _delivered(sessionmaker: async_sessionmaker[AsyncSession]) -> list[DeliveryRecipient]:
    async with sessionmaker() as session:
        delivery = await session.scalar(
            select(Delivery).where(col(Delivery.dedupe_key) == "bulletin:2024:4")
        )
        assert delivery is not None
        found = await session.scalars(
            select(DeliveryRecipient).where(col(DeliveryRecipient.delivery_id) == delivery.id)
        )
        return list(found.all())


async def _names(sessionmaker: async_sessionmaker[AsyncSession], person_ids: list[int]) -> set[str]:
    async with sessionmaker() as session:
        people = await session.scalars(select(Person).where(col(Person.id).in_(person_ids)))
        return {person.name for person in people}


async def test_staff_publish_issue_4_two_receive_it_one_reads_staff_see_one_of_two(
    bot_factory: Any,
) -> None:
    bot: BotProcess = bot_factory()
    engine, sessionmaker = await _roster(bot)
    try:
        await _scenario(bot, sessionmaker)
    finally:
        await engine.dispose()


async def _scenario(bot: BotProcess, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
    staff, reader, other = Chat(bot, STAFF), Chat(bot, READER), Chat(bot, OTHER)
    await _publish(staff)

    # The engine sends each of the two the issue's card, with a button per article and 已阅.
    cards = [await reader.reply(), await other.reply()]
    for card in cards:
        assert card["text"].startswith(f"{MASTHEAD}\n2024年3月21日")
        assert "\n\n编者按：今年省人大常委会决定" in card["text"]
        assert "本期共2篇文章，点击下方按钮阅读。" in card["text"]
        assert labels(card)[0] == f"1. {HEADINGS[0]}"
        assert "已阅" in labels(card)

    async def all_sent() -> bool:
        return all(row.state == RecipientState.sent for row in await _delivered(sessionmaker))

    await until(all_sent, 20, "both recipients marked sent")
    rows = await _delivered(sessionmaker)
    assert await _names(sessionmaker, [row.person_id for row in rows]) == {"王建国", "李红梅"}
    # Nobody outside the staff member's delegation got it.
    assert bot.users.messages(OUTSIDER) == []

    # 王建国 opens the first article, then taps 已阅 on the card.
    article = await reader.press(cards[0], f"1. {HEADINGS[0]}")
    assert article["text"].startswith(f"{HEADINGS[0]}\n{MASTHEAD} · 第1篇，共2篇")
    assert "下一篇 ›" in labels(article)
    pressed = reader.tap(cards[0], "已阅")
    assert await reader.answer(pressed) == "已记录为已阅，谢谢。"
    await until(lambda: "✓ 已阅" in labels(reader.now(cards[0])), 20, "the card shows ✓ 已阅")
    # A second tap records nothing more.
    pressed = reader.tap(reader.now(cards[0]), "✓ 已阅")
    assert await reader.answer(pressed) == "您已标记过本期为已阅。"

    # Publishing and broadcasting are for staff.
    for command in ("/publish", "/broadcast"):
        refused = await reader.say(command)
        assert refused["text"] == "您的角色无法使用此功能。发送 /help 查看可用功能。"

    async with sessionmaker() as session:
        issue = await session.scalar(select(BulletinIssue))
        assert issue is not None
        assert (issue.year, issue.number, issue.state) == (2024, 4, IssueState.published)
        reads = list((await session.scalars(select(BulletinRead))).all())
    assert len(reads) == 1
    assert await _names(sessionmaker, [reads[0].person_id]) == {"王建国"}

    # Staff open the issue from the archive: 1 of 2 read, and who has not.
    listing = await staff.say("/bulletins")
    assert "2024年第4期" in labels(listing)
    card = await staff.press(listing, "2024年第4期")
    assert card["text"].startswith(MASTHEAD)
    assert card["text"].endswith("您负责范围内 2 人中已阅 1 人。")
    assert "未阅（1）" in labels(card)
    unread = await staff.press(card, "未阅（1）")
    assert unread["text"].splitlines() == [
        "尚未阅读 2024年第4期",
        "您负责范围内 2 人中已阅 1 人。",
        "",
        "1. 李红梅",
    ]
