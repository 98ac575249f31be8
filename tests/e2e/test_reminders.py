"""Issue 12 end to end, the bot a separate process against the emulator, its clock moved through
the clock file (CLOCK_FILE) as the demo's `:time` moves it: a Wednesday duty at a station, the
evening-before notice with the station's location pin, the after-hours prompt whose one tap logs
the reception, and a restart inside the prompt's window that sends nothing twice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlmodel import col, select

from bot.emulator.errors import JsonDict
from services.clock import write_offset
from services.config import Settings
from storage.delivery_models import Delivery, DeliveryRecipient, RecipientState
from storage.duty_models import Activity, ActivityType
from storage.scheduling import planner_hint
from storage.scheduling_models import MissedReminder
from tests.e2e.conftest import BOT_ID, BotProcess, prepare_database
from tests.e2e.delivery_kit import per_chat, until
from tests.factories import add_delegation, add_representative
from tests.services.duty.kit import on_duty, station

pytestmark = pytest.mark.e2e

TZ = ZoneInfo(Settings.model_fields["timezone"].default)
REP = 950_001
STATION = "关林街道代表联络站"
ADDRESS = "洛阳市洛龙区关林街道办事处一楼"
LATITUDE, LONGITUDE = 34.6197, 112.4539
DUTY_DAY = date(2024, 3, 20)  # a Wednesday, a working day
TUESDAY_EVENING = datetime.combine(date(2024, 3, 19), time(19, 0), tzinfo=TZ)
WEDNESDAY_AFTER = datetime.combine(DUTY_DAY, time(17, 0), tzinfo=TZ)
DETAILS = [
    f"联络站：{STATION}",
    "日期：2024年3月20日（周三）",
    "时间：09:00–12:00",
    f"地址：{ADDRESS}",
]
# Reminders are looked for five times a second, and queued ones noticed as quickly.
QUICK = {"TICK_SECONDS": "0.2", "DELIVERY_POLL_SECONDS": "0.2"}


def key(person_id: int, kind: str, station_id: int) -> str:
    return f"duty:station{station_id}:{DUTY_DAY.isoformat()}:{kind}:person{person_id}"


@dataclass
class Clock:
    """The bot process's clock: the real time moved by the offset in the file it follows."""

    path: Path

    def set(self, moment: datetime) -> None:
        write_offset(self.path, moment - datetime.now(UTC))


@dataclass
class Chat:
    bot: BotProcess
    user_id: int
    seen: int = 0

    async def arrives(self) -> JsonDict:
        """The next message the bot sent to this chat, unasked or in answer."""
        view = await self.bot.users.next_message(self.user_id, 20)
        assert not view["deleted"]
        self.seen += 1
        return view

    async def press(self, view: JsonDict, label: str) -> JsonDict:
        self.bot.users.press_button(self.user_id, view["message_id"], text=label)
        return await self.arrives()


def buttons(view: JsonDict) -> list[JsonDict]:
    markup = view["message"].get("reply_markup") or {"inline_keyboard": []}
    return [button for row in markup["inline_keyboard"] for button in row]


async def _duty(
    bot: BotProcess,
) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession], int, int]:
    """王建国 on duty on Wednesday 20 March 2024 at a station with an address and a location."""
    engine, sessionmaker = await prepare_database(bot.database_url)
    async with sessionmaker.begin() as session:
        delegation = await add_delegation(session)
        at = await station(session, name=STATION, delegation=delegation)
        at.address, at.latitude, at.longitude = ADDRESS, LATITUDE, LONGITUDE
        person = await add_representative(session, telegram_id=REP, delegation=delegation)
        await on_duty(session, at, person, DUTY_DAY)
        assert person.id is not None
        assert at.id is not None
        person_id, station_id = person.id, at.id
    return engine, sessionmaker, person_id, station_id


async def _sent(sessionmaker: async_sessionmaker[AsyncSession], dedupe_key: str) -> bool:
    async with sessionmaker() as session:
        state = await session.scalar(
            select(DeliveryRecipient.state)
            .join(Delivery, col(Delivery.id) == col(DeliveryRecipient.delivery_id))
            .where(col(Delivery.dedupe_key) == dedupe_key)
        )
    return state == RecipientState.sent


async def _duty_keys(sessionmaker: async_sessionmaker[AsyncSession]) -> list[str]:
    async with sessionmaker() as session:
        found = await session.scalars(
            select(Delivery.dedupe_key).where(col(Delivery.dedupe_key).startswith("duty:"))
        )
        return sorted(found.all())


async def _hint(sessionmaker: async_sessionmaker[AsyncSession]) -> tuple[datetime | None, int]:
    async with sessionmaker() as session:
        return await planner_hint(session=session, planner="duty")


async def test_evening_notice_with_pin_after_hours_prompt_logged_and_a_restart_sends_none_twice(
    bot_factory: Any, tmp_path: Path
) -> None:
    bot: BotProcess = bot_factory()
    engine, sessionmaker, person_id, station_id = await _duty(bot)
    try:
        await _scenario(bot, sessionmaker, person_id, station_id, Clock(tmp_path / "clock"))
    finally:
        await engine.dispose()


async def _scenario(
    bot: BotProcess,
    sessionmaker: async_sessionmaker[AsyncSession],
    person_id: int,
    station_id: int,
    clock: Clock,
) -> None:
    clock.set(TUESDAY_EVENING)
    bot.extra_env.update(QUICK, CLOCK_FILE=str(clock.path))
    bot.users.create_user("建国", user_id=REP, language_code="zh")
    await bot.start()
    chat = Chat(bot, REP)

    # Tuesday 19:00: the notice, then the station's location as a map pin.
    evening = await chat.arrives()
    assert evening["text"].splitlines() == ["您明天值班（代表活动日）", *DETAILS]
    (map_button,) = buttons(evening)
    assert map_button["text"] == "📍 位置"
    assert f"mlat={LATITUDE:.6f}&mlon={LONGITUDE:.6f}" in map_button["url"]
    pin = await chat.arrives()
    where = pin["message"]["location"]
    assert (where["latitude"], where["longitude"]) == pytest.approx((LATITUDE, LONGITUDE))

    # Wednesday 17:00: the morning notice's window (until noon) closed unsent, so it is recorded
    # missed for staff; the after-hours prompt comes with its one-tap button.
    clock.set(WEDNESDAY_AFTER)
    prompt = await chat.arrives()
    assert prompt["text"].splitlines() == [
        "今天的值班已结束。请登记接待情况：接待了多少群众、反映了哪些社情民意。",
        *DETAILS,
    ]
    assert [b["text"] for b in buttons(prompt)] == ["登记接待情况"]
    async with sessionmaker() as session:
        missed = await session.scalars(select(MissedReminder.dedupe_key))
        assert missed.all() == [key(person_id, "morning", station_id)]
    assert await _duty_keys(sessionmaker) == sorted(
        key(person_id, kind, station_id) for kind in ("eve", "after")
    )

    await _restart_inside_the_window(bot, sessionmaker, key(person_id, "after", station_id))

    # One tap after the restart: /log filled in as a reception at the station on the day.
    card = await chat.press(prompt, "登记接待情况")
    assert card["text"].splitlines()[:5] == [
        "请核对后保存",
        "类型：接待群众",
        "日期：2024年3月20日（周三）",
        f"地点：{STATION}",
        "内容：代表活动日接待群众",
    ]
    saved = await chat.press(card, "保存")
    assert saved["text"].startswith("✅ 已保存。")
    async with sessionmaker() as session:
        rows = await session.execute(
            select(Activity, ActivityType.code).join(
                ActivityType, col(ActivityType.id) == col(Activity.type_id)
            )
        )
        ((activity, code),) = rows.all()
    assert (activity.person_id, code, activity.happened_on) == (person_id, "reception", DUTY_DAY)
    assert (activity.place, activity.summary) == (STATION, "代表活动日接待群众")

    # Everything the chat holds was read above: each reminder once, across the restart.
    assert per_chat(bot.emulator)[REP] == chat.seen == 5
    assert await _duty_keys(sessionmaker) == sorted(
        key(person_id, kind, station_id) for kind in ("eve", "after")
    )


async def _restart_inside_the_window(
    bot: BotProcess, sessionmaker: async_sessionmaker[AsyncSession], after_key: str
) -> None:
    """Kill the bot while the prompt's window is open, start it again, and wait for the new
    process's first full look at the duty reminders: it plans nothing already sent."""
    await until(lambda: _sent(sessionmaker, after_key), 20, "the prompt recorded as sent")
    count = per_chat(bot.emulator)[REP]
    await bot.kill()
    _quiet, version = await _hint(sessionmaker)
    await bot.start()

    async def looked_again() -> bool:
        # The first tick of a process wakes every planner (a new version); the duty planner's
        # look then stores until when it may rest.
        quiet_until, now_version = await _hint(sessionmaker)
        return now_version > version and quiet_until is not None

    await until(looked_again, 20, lambda: f"the restarted bot's first look\n{bot.log()}")
    async with sessionmaker() as session:
        recipients = await session.scalars(
            select(DeliveryRecipient.state)
            .join(Delivery, col(Delivery.id) == col(DeliveryRecipient.delivery_id))
            .where(col(Delivery.dedupe_key).startswith("duty:"))
        )
        assert sorted(recipients.all()) == [RecipientState.sent, RecipientState.sent]
    assert bot.emulator.state.bot(BOT_ID).message_counts[REP] == count
