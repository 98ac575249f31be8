"""Flood limits: 429 with retry_after per private chat, per group and per bot overall."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from bot.emulator import Emulator, EmulatorState, RateLimits
from bot.emulator.errors import ApiError
from bot.emulator.limits import RateLimiter
from tests.emulator.helpers import BotApi


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def limited(clock: ManualClock) -> AsyncIterator[tuple[Emulator, BotApi]]:
    """An emulator with Telegram's default limits and a clock the test moves by hand."""
    async with (
        Emulator(EmulatorState(clock=clock)) as running,
        httpx.AsyncClient(base_url=running.base_url) as http,
    ):
        yield running, BotApi(http, running.token)


async def test_private_chat_allows_a_burst_of_three_then_one_per_second(
    limited: tuple[Emulator, BotApi], clock: ManualClock
) -> None:
    emulator, api = limited
    user = emulator.users.create_user("Alice")["id"]
    for _ in range(3):
        await api.ok("sendMessage", chat_id=user, text="x")
    status, description, body = await api.error("sendMessage", chat_id=user, text="x")
    assert status == 429
    assert description == "Too Many Requests: retry after 1"
    assert body["parameters"] == {"retry_after": 1}
    clock.now += 1.0
    await api.ok("sendMessage", chat_id=user, text="after the pause")
    assert emulator.state.counters(emulator.state.bot())["messages_per_chat"] == {str(user): 4}


async def test_group_chat_allows_twenty_a_minute(
    limited: tuple[Emulator, BotApi], clock: ManualClock
) -> None:
    emulator, api = limited
    member = emulator.users.create_user("Alice")["id"]
    group = emulator.users.create_group("代表小组", [member])["id"]
    for _ in range(20):
        clock.now += 0.05  # stay under the bot-wide limit
        await api.ok("sendMessage", chat_id=group, text="x")
    status, _, body = await api.error("sendMessage", chat_id=group, text="x")
    # One message every three seconds refills the group's bucket.
    assert (status, body["parameters"]["retry_after"]) == (429, 3)
    clock.now += 3.0
    await api.ok("sendMessage", chat_id=group, text="x")


async def test_bot_wide_limit_of_thirty_per_second_across_chats(
    limited: tuple[Emulator, BotApi],
) -> None:
    emulator, api = limited
    users = [emulator.users.create_user(f"U{n}")["id"] for n in range(31)]
    for user in users[:30]:
        await api.ok("sendMessage", chat_id=user, text="broadcast")
    status, description, body = await api.error("sendMessage", chat_id=users[30], text="x")
    assert (status, description) == (429, "Too Many Requests: retry after 1")
    assert body["parameters"]["retry_after"] == 1
    # The refused message was not counted as accepted.
    assert str(users[30]) not in emulator.state.counters(emulator.state.bot())["messages_per_chat"]


async def test_limits_can_be_switched_off_at_runtime(limited: tuple[Emulator, BotApi]) -> None:
    emulator, api = limited
    user = emulator.users.create_user("Alice")["id"]
    emulator.state.limiter.configure(RateLimits(enabled=False))
    for _ in range(10):
        await api.ok("sendMessage", chat_id=user, text="x")
    assert emulator.state.counters(emulator.state.bot())["messages_total"] == 10


def test_a_refused_message_takes_no_token_from_the_other_bucket(clock: ManualClock) -> None:
    limits = RateLimits(bot_per_second=1, bot_burst=1, private_per_second=0.001, private_burst=1)
    limiter = RateLimiter(limits, clock)
    limiter.check(1, 10, private=True)
    with pytest.raises(ApiError) as by_bot:
        limiter.check(1, 11, private=True)
    assert by_bot.value.retry_after == 1
    clock.now += 1.0
    # Chat 11 still has the token the refused call did not spend.
    limiter.check(1, 11, private=True)
    with pytest.raises(ApiError) as by_chat:
        limiter.check(1, 11, private=True)
    # Now both buckets are empty and the slower one sets the wait.
    assert by_chat.value.retry_after == 1000
