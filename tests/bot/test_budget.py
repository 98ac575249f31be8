"""One sending budget per bot token: a shared pause after a 429, answers before deliveries,
Telegram's overall, per-chat and per-group rates (bot/budget.py).

Timing is real (the budget waits on the event loop's clock); where the order of sends must be
exact, a fake session records them, and elsewhere the emulator with Telegram's limits does.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import (
    AnswerCallbackQuery,
    CopyMessages,
    EditMessageText,
    GetMe,
    SendChatAction,
    SendMessage,
    SetMyCommands,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

from bot.budget import BudgetLimits, BudgetMiddleware, Lane, budget_for, lane
from bot.budget_rules import Target, target_of
from bot.budget_slots import Budget
from bot.emulator import Emulator, EmulatorSettings, FaultKind, RateLimits
from bot.emulator.errors import ApiError
from bot.retry import RetryPolicy
from tests.fakes import FakeSession

FAST = BudgetLimits(send_rate=1000, delivery_rate=1000, chat_rate=1000, chat_burst=1000)


class TimedSession(FakeSession):
    """Records when each send was accepted; answers 429 (retry after 1) to the calls listed."""

    def __init__(self, flood_at: set[int] | None = None) -> None:
        super().__init__()
        self.flood_at = flood_at or set()
        self.calls = 0
        self.accepted: list[tuple[float, int]] = []
        self.floods: list[float] = []

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.calls += 1
        if self.calls in self.flood_at:
            self.floods.append(time.monotonic())
            raise TelegramRetryAfter(method, "Too Many Requests: retry after 1", 1)
        result = await super().make_request(bot, method, timeout)
        self.accepted.append((time.monotonic(), int(getattr(method, "chat_id", 0))))
        return result


def _fake_bot(session: FakeSession, limits: BudgetLimits) -> Bot:
    session.middleware(BudgetMiddleware(limits, policy=RetryPolicy(base_delay=0.05)))
    return Bot("123456:" + "x" * 30, session=session)


async def _deliver(bot: Bot, chat_id: int, text: str = "通知") -> None:
    with lane(Lane.delivery):
        await bot.send_message(chat_id, text)


async def _answer(bot: Bot, chat_id: int) -> None:
    await bot.send_message(chat_id, "回复")


async def test_a_429_pauses_every_sender_of_both_lanes_then_all_go() -> None:
    session = TimedSession(flood_at={5})
    bot = _fake_bot(session, FAST)
    sends = [_deliver(bot, 1000 + n) for n in range(10)]
    sends += [_answer(bot, 2000 + n) for n in range(10)]
    await asyncio.gather(*sends)
    [flood] = session.floods
    assert len(session.accepted) == 20  # the refused one too, once
    during = [at for at, _chat in session.accepted if flood < at < flood + 1.0]
    assert during == []
    assert sorted(chat for _at, chat in session.accepted) == sorted(
        [1000 + n for n in range(10)] + [2000 + n for n in range(10)]
    )


async def test_an_answer_overtakes_sixty_queued_deliveries() -> None:
    session = TimedSession()
    bot = _fake_bot(session, BudgetLimits())
    broadcast = [asyncio.create_task(_deliver(bot, 1000 + n)) for n in range(60)]
    await asyncio.sleep(0.2)  # the broadcast is under way at its rate
    sent_before = len(session.accepted)
    asked = time.monotonic()
    await bot.send_message(7, "你好")
    waited = time.monotonic() - asked
    position = [chat for _at, chat in session.accepted].index(7)
    assert position <= sent_before + 2, (position, sent_before)
    assert waited < 0.15
    assert len(session.accepted) < 30  # the broadcast is still going at 28 a second
    await asyncio.gather(*broadcast)


async def test_a_call_that_is_not_a_message_does_not_wait_for_the_pause() -> None:
    session = TimedSession()
    bot = _fake_bot(session, FAST)
    budget_for(bot, FAST).pause(5)
    async with asyncio.timeout(1):
        await bot.get_me()
        await bot.answer_callback_query("1", text="好")
    waiting = asyncio.create_task(bot.send_message(1, "x"))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    waiting.cancel()
    budget_for(bot, FAST).paused_until = 0.0
    async with asyncio.timeout(1):
        await bot.send_message(2, "after a cancelled waiter")


async def test_deliveries_coming_back_late_do_not_lose_the_time_they_were_away() -> None:
    """A granter woken late (a busy machine) must not lose the slot time that went by: at
    28/s a bucket of one lost a few milliseconds a slot and the broadcast ran at 26/s."""
    budget = Budget(BudgetLimits(send_rate=30, delivery_rate=5))
    target = Target(None, group=False, weight=1)
    for _ in range(2):  # what the bucket holds at the start
        await budget.slot(Lane.delivery, target, None)
    await asyncio.sleep(0.3)  # one and a half slots of 0.2 s
    started = time.monotonic()
    for _ in range(2):
        await budget.slot(Lane.delivery, target, None)
    # The half slot left over counts: the second is due 0.1 s later, not a whole 0.2 s.
    assert time.monotonic() - started < 0.17
    # And the pace holds over time: ten more take two seconds, not less.
    started = time.monotonic()
    for _ in range(10):
        await budget.slot(Lane.delivery, target, None)
    assert 1.8 <= time.monotonic() - started <= 2.3


async def test_a_paid_broadcast_keeps_its_rate_with_slots_granted_in_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 1,000/s the granter must not wake for every slot (a thousand wake-ups a second cost
    the sender the CPU it needs), nor lose rate by sleeping longer: 300 deliveries from 32
    senders take the bucket's start and then 1 ms each."""
    budget = Budget(BudgetLimits(send_rate=1000, delivery_rate=1000))
    wakes = 0
    grant_due = budget._grant_due

    def counted() -> float | None:
        nonlocal wakes
        wakes += 1
        return grant_due()

    monkeypatch.setattr(budget, "_grant_due", counted)
    target = Target(None, group=False, weight=1)
    queue = list(range(300))

    async def sender() -> None:
        while queue:
            queue.pop()
            with lane(Lane.delivery):
                await budget.slot(Lane.delivery, target, None)
            await asyncio.sleep(0)

    started = time.monotonic()
    await asyncio.gather(*(sender() for _ in range(32)))
    took = time.monotonic() - started
    assert 0.24 <= took <= 0.6, took  # (300 − 33 at the start) / 1000 = 0.267 s
    assert wakes < 60, wakes


async def test_a_slot_free_now_is_taken_without_the_granter() -> None:
    budget = Budget(FAST)
    await budget.slot(Lane.delivery, Target(1, group=False, weight=1), None)
    await budget.slot(Lane.answer, Target(2, group=False, weight=1), None)
    assert budget._granter is None
    # Paused: the next one waits in line for the granter, then goes.
    budget.pause(0.1)
    waiting = asyncio.create_task(
        budget.slot(Lane.delivery, Target(3, group=False, weight=1), None)
    )
    await asyncio.sleep(0.02)
    assert not waiting.done()
    assert budget._granter is not None
    async with asyncio.timeout(1):
        await waiting


async def test_calls_refused_during_a_long_pause_do_not_push_its_end() -> None:
    session = TimedSession()
    bot = _fake_bot(session, FAST)  # waits in line for at most 60 s (RetryPolicy.max_wait)
    await bot.get_me()  # the token's budget is made by its first call
    budget = budget_for(bot, FAST)
    budget.pause(90)
    end = budget.paused_until
    for n in range(20):
        with pytest.raises(TelegramRetryAfter) as refused:
            await bot.send_message(100 + n, "通知")
        assert 89 <= refused.value.retry_after <= 90
    assert budget.paused_until == end
    assert [chat for _at, chat in session.accepted] == [0]  # getMe only


async def test_senders_waiting_in_line_are_refused_when_a_long_pause_comes() -> None:
    session = TimedSession()
    session.middleware(BudgetMiddleware(FAST, policy=RetryPolicy(max_wait=2)))
    bot = Bot("123456:" + "x" * 30, session=session)
    await bot.get_me()
    budget = budget_for(bot, FAST)
    budget.pause(1)  # short: waited out in line
    waiting = [asyncio.create_task(_deliver(bot, 300 + n)) for n in range(3)]
    waiting.append(asyncio.create_task(_answer(bot, 400)))
    await asyncio.sleep(0)
    budget.pause(30)  # long: they keep their messages for later, now rather than in 30 s
    async with asyncio.timeout(0.5):
        results = await asyncio.gather(*waiting, return_exceptions=True)
    assert all(isinstance(result, TelegramRetryAfter) for result in results), results
    assert [chat for _at, chat in session.accepted] == [0]  # getMe only


@pytest.fixture
async def limited() -> AsyncIterator[Emulator]:
    """The emulator with Telegram's limits on: 30/s per bot, 1/s per private chat (burst 3)."""
    async with Emulator(settings=EmulatorSettings(limits=RateLimits())) as emulator:
        yield emulator


def _emulator_bot(emulator: Emulator, limits: BudgetLimits | None = None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))
    session.middleware(BudgetMiddleware(limits, policy=RetryPolicy(base_delay=0.05)))
    return Bot(emulator.token, session=session)


def _watch(emulator: Emulator) -> tuple[list[tuple[float, int]], list[float]]:
    """Messages the emulator stored (when, which chat) and the 429s it answered (when)."""
    stored: list[tuple[float, int]] = []
    refused: list[float] = []
    state = emulator.state
    record, check = state.record, state.limiter.check

    def timed_record(bot: Any, chat: Any, content: Any, **kwargs: Any) -> Any:
        stored.append((time.monotonic(), int(chat["id"])))
        return record(bot, chat, content, **kwargs)

    def counted_check(bot_id: int, chat_id: int, *, private: bool) -> None:
        try:
            check(bot_id, chat_id, private=private)
        except ApiError:
            refused.append(time.monotonic())
            raise

    state.record = timed_record  # type: ignore[method-assign]
    state.limiter.check = counted_check  # type: ignore[method-assign]
    return stored, refused


async def test_the_emulator_records_no_send_during_the_pause(limited: Emulator) -> None:
    users = [limited.users.create_user(f"U{n}")["id"] for n in range(20)]
    stored, _refused = _watch(limited)
    faults: list[float] = []
    draw = limited.state.faults.draw

    def one_flood(method: str) -> FaultKind | None:
        if method == "sendmessage" and len(stored) == 6 and not faults:
            faults.append(time.monotonic())
            return FaultKind.TOO_MANY_REQUESTS
        return draw(method)

    limited.state.faults.draw = one_flood  # type: ignore[method-assign]
    bot = _emulator_bot(limited)
    async with bot.session:
        sends = [_deliver(bot, user) for user in users[:10]]
        sends += [_answer(bot, user) for user in users[10:]]
        await asyncio.gather(*sends)
    [flood] = faults
    # Requests already on the wire when the 429 was answered may land just after it.
    in_pause = [at for at, _chat in stored if flood + 0.2 < at < flood + 1.0]
    assert in_pause == []
    assert sorted(chat for _at, chat in stored) == sorted(users)


async def test_150_sends_across_chats_stay_under_the_limit(limited: Emulator) -> None:
    users = [limited.users.create_user(f"U{n}")["id"] for n in range(150)]
    stored, refused = _watch(limited)
    bot = _emulator_bot(limited)
    started = time.monotonic()
    async with bot.session:
        sends: list[asyncio.Task[Any]] = []
        for number, user in enumerate(users):  # offered at 50 a second for 3 seconds
            if number % 3:
                sends.append(asyncio.create_task(_deliver(bot, user)))
            else:
                sends.append(asyncio.create_task(_answer(bot, user)))
            await asyncio.sleep(0.02)
        await asyncio.gather(*sends)
    elapsed = time.monotonic() - started
    assert refused == []
    assert len(stored) == 150
    assert 4.5 < elapsed < 8.0  # 150 at 30 a second, not much slower


async def _answer_latencies(bot: Bot, users: list[int]) -> list[float]:
    latencies = []
    for user in users:
        asked = time.monotonic()
        await _answer(bot, user)
        latencies.append(time.monotonic() - asked)
        await asyncio.sleep(0.2)
    return latencies


async def test_answers_take_as_long_with_a_broadcast_at_full_rate(limited: Emulator) -> None:
    users = [limited.users.create_user(f"U{n}")["id"] for n in range(100)]
    stored, refused = _watch(limited)
    bot = _emulator_bot(limited)
    async with bot.session:
        alone = await _answer_latencies(bot, users[:5])
        broadcast = [asyncio.create_task(_deliver(bot, user)) for user in users[10:]]
        await asyncio.sleep(0.5)
        during = await _answer_latencies(bot, users[5:10])
        assert not all(task.done() for task in broadcast)  # still running at 28 a second
        await asyncio.gather(*broadcast)
    assert refused == []
    assert len(stored) == 100
    assert max(during) < max(alone) + 0.1, (alone, during)


async def test_one_chat_gets_a_short_burst_then_one_a_second(limited: Emulator) -> None:
    user = limited.users.create_user("Alice")["id"]
    stored, refused = _watch(limited)
    bot = _emulator_bot(limited)
    async with bot.session:
        await asyncio.gather(*(_deliver(bot, user, f"第{n}条") for n in range(5)))
    times = [at for at, _chat in stored]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert refused == []
    assert [m["text"] for m in limited.users.messages(user)] == [f"第{n}条" for n in range(5)]
    assert gaps[0] < 0.2  # the burst of two
    assert all(0.8 < gap < 1.5 for gap in gaps[1:]), gaps


async def test_a_group_gets_its_own_pace(limited: Emulator) -> None:
    member = limited.users.create_user("Alice")["id"]
    group = limited.users.create_group("代表小组", [member])["id"]
    stored, refused = _watch(limited)
    bot = _emulator_bot(limited, BudgetLimits(group_per_minute=300))  # one each 0.2 s
    async with bot.session:
        await asyncio.gather(*(_deliver(bot, group) for _ in range(5)))
    times = [at for at, _chat in stored]
    assert refused == []
    assert times[-1] - times[0] > 0.35  # a burst of three, then 0.2 s apart


async def test_server_errors_are_retried_with_backoff(limited: Emulator) -> None:
    user = limited.users.create_user("Alice")["id"]
    stored, _refused = _watch(limited)
    failures = [FaultKind.BAD_GATEWAY, FaultKind.BAD_GATEWAY]
    limited.state.faults.draw = lambda method: failures.pop() if failures else None  # type: ignore[method-assign]
    bot = _emulator_bot(limited)
    started = time.monotonic()
    async with bot.session:
        message = await bot.send_message(user, "终于")
    assert message.text == "终于"
    assert len(stored) == 1
    assert time.monotonic() - started >= 0.15  # 0.05 s, then 0.1 s


@pytest.mark.parametrize(
    ("method", "chat", "group", "weight"),
    [
        (SendMessage(chat_id=7, text="x"), 7, False, 1),
        (SendMessage(chat_id="-100123", text="x"), -100123, True, 1),
        (SendMessage(chat_id="@channel", text="x"), "@channel", True, 1),
        (EditMessageText(chat_id=7, message_id=1, text="x"), 7, False, 0),
        (EditMessageText(inline_message_id="a", text="x"), None, False, 0),
        (CopyMessages(chat_id=7, from_chat_id=8, message_ids=[1, 2, 3]), 7, False, 3),
        (SendChatAction(chat_id=7, action="typing"), None, None, None),
        (AnswerCallbackQuery(callback_query_id="1"), None, None, None),
        (GetMe(), None, None, None),
        (SetMyCommands(commands=[]), None, None, None),
    ],
)
def test_which_calls_take_a_slot(
    method: TelegramMethod[Any], chat: int | str | None, group: bool | None, weight: int | None
) -> None:
    target = target_of(method)
    if weight is None:
        assert target is None
    else:
        # weight 0 in the table: an edit, one slot but none of its chat's pace
        new = weight > 0
        assert target == Target(chat, group=bool(group), weight=weight or 1, new=new)
