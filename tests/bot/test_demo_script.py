"""Demo scripts: the format, and playing one against the real Dispatcher on the emulator."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlmodel import col, select

from bot.app import build_app
from bot.demo import runner
from bot.demo.cast import seed_cast
from bot.demo.chat import Chats, NoAnswer
from bot.demo.clock import DemoClock
from bot.demo.people import DemoUser, find_user
from bot.demo.render import Look
from bot.demo.script import Player, ScriptError, Step, fill_codes, parse_script
from bot.emulator import Emulator, EmulatorSettings, RateLimits
from bot.polling import Poller
from services import clock
from services.config import Settings
from storage.db import create_sessionmaker
from storage.models import Person, ProcessedUpdate

DEMO_FOLDER = Path(runner.__file__).resolve().parent


def test_each_kind_of_line_becomes_a_step() -> None:
    script = "# intro\n\n@王建国\n> /lang\n[English]\n[2]\n? Language set\n:send a.csv\n:as 2\n"
    assert parse_script(script) == [
        Step(3, "speaker", "王建国"),
        Step(4, "send", "/lang"),
        Step(5, "press", "English"),
        Step(6, "press", "2"),
        Step(7, "expect", "Language set"),
        Step(8, "file", "a.csv"),
        Step(9, "speaker", "2"),
    ]
    assert parse_script(":time +1d\n:time 2024-03-20 08:00") == [
        Step(1, "time", "+1d"),
        Step(2, "time", "2024-03-20 08:00"),
    ]
    # What arrives unasked may be checked like an answer.
    assert parse_script(":wait 代表工作\n? 2024年第4期") == [
        Step(1, "wait", "代表工作"),
        Step(2, "expect", "2024年第4期"),
    ]


@pytest.mark.parametrize(
    ("script", "line", "reason"),
    [
        ("> /help\nhello", 2, "expected @name, > text"),
        ("? 您可以使用", 1, "needs a message sent"),
        ("@王建国\n>", 2, "expected @name"),
        ("[]", 1, "expected @name"),
    ],
)
def test_a_line_that_is_not_understood_is_named(script: str, line: int, reason: str) -> None:
    with pytest.raises(ScriptError) as caught:
        parse_script(script)
    assert caught.value.line == line
    assert reason in caught.value.reason


def test_invitation_codes_fill_in_by_name() -> None:
    codes = {"赵丽娟": "ABCD-EFGH"}
    assert fill_codes("/start {code:赵丽娟}", codes, 1) == "/start ABCD-EFGH"
    with pytest.raises(ScriptError, match="no invitation code for 王建国"):
        fill_codes("{code:王建国}", codes, 4)


def test_the_shipped_tour_parses_and_starts_with_a_stranger() -> None:
    steps = parse_script(runner.TOUR.read_text(encoding="utf-8"))
    assert steps[0] == Step(steps[0].line, "speaker", "访客")
    assert {step.kind for step in steps} == {
        "speaker",
        "send",
        "press",
        "expect",
        "file",
        "photo",
        "location",
        "time",
        "wait",
    }


def test_demo_users_are_found_by_name_number_id_or_role() -> None:
    cast = [
        DemoUser("王建国", 910_001, "小组组长 group leader"),
        DemoUser("马文静", 910_011, "驻洛省十四届人大代表工作人员 staff of 驻洛省"),
        DemoUser("杜建平", 910_012, "南阳市人大代表工作人员 staff of 南阳市"),
        DemoUser("韩立新", 910_013, "管理员 admin"),
    ]
    assert find_user(cast, "@王建国") is cast[0]
    assert find_user(cast, "2") is cast[1]
    assert find_user(cast, "910012") is cast[2]
    assert find_user(cast, "Admin") is cast[3]
    with pytest.raises(LookupError, match="马文静、杜建平"):
        find_user(cast, "staff")
    with pytest.raises(LookupError, match=":users lists them"):
        find_user(cast, "张三")


@pytest.mark.parametrize(("tty", "script"), [(True, None), (False, runner.TOUR)])
def test_without_a_token_a_terminal_gets_the_chat_and_no_terminal_the_tour(
    monkeypatch: pytest.MonkeyPatch, tty: bool, script: Path | None
) -> None:
    calls: list[tuple[Path | None, str | None, Path | None]] = []

    def demo_command(script: Path | None, as_name: str | None, data: Path | None) -> int:
        calls.append((script, as_name, data))
        return 0

    monkeypatch.setattr("sys.stdin.isatty", lambda: tty)
    monkeypatch.setattr(runner, "demo_command", demo_command)
    assert runner.run_without_token() == 0
    assert calls == [(script, None, None)]


async def test_seeding_again_keeps_links_and_forgets_the_last_emulators_updates(
    settings: Settings, engine: AsyncEngine
) -> None:
    first = await seed_cast(settings)
    assert [user.name for user in first if user.code] == ["赵丽娟", "郑雅琴"]
    async with create_sessionmaker(engine).begin() as session:
        session.add(ProcessedUpdate(bot_id=100_000_001, update_id=1))
        person = await session.scalar(select(Person).where(col(Person.name) == "赵丽娟"))
        assert person is not None
        person.telegram_id = 910_021
    again = await seed_cast(settings)
    assert [user.name for user in again if user.code] == ["郑雅琴"]
    assert find_user(again, "赵丽娟").telegram_id == 910_021
    async with create_sessionmaker(engine)() as session:
        assert await session.get(ProcessedUpdate, (100_000_001, 1)) is None


@dataclass
class Running:
    chats: Chats
    cast: list[DemoUser]
    poller: Poller
    bot: Bot
    transcript: list[str] = field(default_factory=list)

    def player(self, clock: DemoClock | None = None) -> Player:
        speaker = find_user(self.cast, "王建国")
        look = Look(False, 80)
        return Player(self.chats, self.cast, speaker, look, self.transcript.append, clock)


@pytest.fixture
async def running(settings: Settings, engine: AsyncEngine) -> AsyncIterator[Running]:
    """The app polling the emulator in this process, on the seeded demo roster."""
    async with Emulator(settings=EmulatorSettings(limits=RateLimits(enabled=False))) as emulator:
        demo_settings = settings.model_copy(
            update={"telegram_api_url": emulator.base_url, "bot_token": SecretStr(emulator.token)}
        )
        app = build_app(demo_settings)
        cast = await seed_cast(demo_settings)
        for user in cast:
            emulator.users.create_user(user.name, user_id=user.telegram_id, language_code="zh")
        poller = Poller(app.bot, app.dispatcher, sessionmaker=app.sessionmaker, timeout=1)
        task = asyncio.create_task(poller.run())
        yield Running(Chats(emulator, timeout=5), cast, poller, app.bot)
        poller.stop()
        await task
        await app.close()


async def test_a_script_plays_buttons_files_and_pop_ups(running: Running) -> None:
    player = running.player()
    script = """
        > /lang
        [2]
        ? Language set: English.
        @韩立新
        :send roster_update.csv
        ? 将新增：1。将更新：1。未变：13。
        [导入]
        ? 已导入 roster_update.csv。
        # The preview's buttons are spent once the roster is imported.
        [导入]
        ? 该按钮已失效
    """
    await player.play(parse_script(script), DEMO_FOLDER)
    assert player.checks == 4
    transcript = "\n".join(running.transcript)
    assert "王建国 › [English]" in transcript
    assert "  [1] 中文   [2] English" in transcript
    assert "韩立新 › [文件 document] roster_update.csv · 2.2 KB" in transcript
    assert "(弹窗 pop-up) 该按钮已失效，请重新开始。" in transcript


async def test_a_missing_expectation_names_its_line_and_the_answer(running: Running) -> None:
    script = "@访客\n> /help\n? 您可以使用"
    with pytest.raises(ScriptError) as caught:
        await running.player().play(parse_script(script), DEMO_FOLDER)
    assert caught.value.line == 3
    assert "本助手为人大代表和代表联络工作人员服务" in caught.value.reason


async def test_a_button_that_is_not_there_fails_the_step(running: Running) -> None:
    with pytest.raises(ScriptError, match="no message with buttons") as caught:
        await running.player().play(parse_script("> /help\n[1]"), DEMO_FOLDER)
    assert caught.value.line == 2


async def test_a_bot_that_does_not_answer_times_out(running: Running) -> None:
    running.poller.stop()
    await asyncio.sleep(0.1)
    running.chats.timeout = 0.3
    with pytest.raises(NoAnswer, match="did not answer within"):
        await running.chats.send_text(910_001, "/help")


async def test_an_answer_made_after_its_update_was_confirmed_is_waited_for(
    running: Running,
) -> None:
    """What the bot does with an update it parked (one running over a second): the offset
    passes it at once and the answer comes later."""
    running.poller.stop()
    await asyncio.sleep(0)
    user_id = find_user(running.cast, "王建国").telegram_id

    async def park_then_answer() -> None:
        while not (updates := await running.bot.get_updates(timeout=0)):
            await asyncio.sleep(0.01)
        await running.bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        await asyncio.sleep(0.3)
        await running.bot.send_message(user_id, "名册已处理")

    answering = asyncio.create_task(park_then_answer())
    seen = await running.chats.send_text(user_id, "/help")
    await answering
    assert [item.text for item in seen] == ["名册已处理"]


async def test_a_script_sends_a_photo_and_a_location(running: Running) -> None:
    script = """
        :photo visit.png
        ? 没能理解这条消息
        :location 34.62,112.45
        ? 没能理解这条消息
    """
    await running.player().play(parse_script(script), DEMO_FOLDER)
    transcript = "\n".join(running.transcript)
    assert "王建国 › [照片 photo] visit.png · 1.6 KB" in transcript
    assert "王建国 › [位置 location] 34.62,112.45" in transcript
    user_id = find_user(running.cast, "王建国").telegram_id
    sent = running.chats.users.messages(user_id, include_user_messages=True)
    assert [m["message"]["location"]["latitude"] for m in sent if "location" in m["message"]] == [
        34.62
    ]
    assert any("photo" in m["message"] for m in sent)


async def test_a_location_that_is_not_two_numbers_is_refused(running: Running) -> None:
    with pytest.raises(ScriptError, match="latitude,longitude"):
        await running.player().play(parse_script(":location 洛阳"), DEMO_FOLDER)


async def test_time_moves_the_clock_the_bot_reads(running: Running, tmp_path: Path) -> None:
    path = tmp_path / "clock"
    demo_clock = DemoClock(path, ZoneInfo("Asia/Shanghai"))
    # The bot follows the file as `python -m bot demo` makes it (CLOCK_FILE).
    clock.follow_file(path)
    try:
        player = running.player(demo_clock)
        await player.play(parse_script(":time 2024-03-20 08:00\n> /help\n? /me"), DEMO_FOLDER)
        moved = clock.now()
        assert (
            datetime(2024, 3, 20, 0, 0, tzinfo=UTC)
            <= moved
            < datetime(2024, 3, 20, 0, 1, tzinfo=UTC)
        )
        await player.play(parse_script(":time +1d +2h"), DEMO_FOLDER)
        assert clock.now() - moved >= timedelta(days=1, hours=2)
        assert "🕒 2024-03-20 08:00 (Asia/Shanghai)" in running.transcript[0]
        assert "🕒 2024-03-21 10:00 (Asia/Shanghai)" in running.transcript[-1]
        with pytest.raises(ScriptError, match="expected :time \\+1d") as caught:
            await player.play(parse_script("# a comment\n:time tomorrow"), DEMO_FOLDER)
        assert caught.value.line == 2
    finally:
        clock.follow_file(None)


async def test_time_without_a_clock_is_refused(running: Running) -> None:
    with pytest.raises(ScriptError, match="no clock"):
        await running.player().play(parse_script(":time +1d"), DEMO_FOLDER)


async def test_wait_shows_what_arrives_unasked_and_fails_when_nothing_does(
    running: Running,
) -> None:
    """A delivery comes on the sender's time, not as an answer: `:wait` waits for it."""
    user_id = find_user(running.cast, "李红梅").telegram_id

    async def deliver_later() -> None:
        await asyncio.sleep(0.3)
        await running.bot.send_message(user_id, "代表工作 · 2024年第4期")

    delivering = asyncio.create_task(deliver_later())
    player = running.player()
    await player.play(parse_script("@李红梅\n:wait 2024年第4期\n? 代表工作"), DEMO_FOLDER)
    await delivering
    assert player.checks == 1
    assert any("代表工作 · 2024年第4期" in line for line in running.transcript)

    running.chats.timeout = 0.3
    with pytest.raises(ScriptError, match="nothing with '第5期' arrived within") as caught:
        await player.play(parse_script("# nothing comes\n:wait 第5期"), DEMO_FOLDER)
    assert caught.value.line == 2


async def test_an_expectation_waits_for_the_rest_of_an_answer(running: Running) -> None:
    """Part of an answer can come after the rest (a PDF made once the update was confirmed):
    `?` waits for it as long as for any answer, and shows it."""
    speaker = find_user(running.cast, "王建国").telegram_id
    later: list[asyncio.Task[object]] = []

    def send_later() -> None:
        later.append(asyncio.ensure_future(running.bot.send_message(speaker, "稍后到达的部分")))

    asyncio.get_running_loop().call_later(0.5, send_later)
    player = running.player()
    await player.play(parse_script("> /help\n? /start\n? 稍后到达的部分"), DEMO_FOLDER)
    assert player.checks == 2
    assert any("稍后到达的部分" in line for line in running.transcript)
    await asyncio.gather(*later)
