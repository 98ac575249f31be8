"""Fault injection and blocked users."""

from __future__ import annotations

import time
from collections import Counter

import httpx
import pytest

from bot.emulator import Emulator, FaultKind, FaultSettings
from tests.emulator.helpers import BotApi


async def test_a_seeded_share_of_calls_fails_with_429_or_502(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    emulator.state.faults.configure(
        FaultSettings(
            share=0.3,
            seed=7,
            kinds=(FaultKind.TOO_MANY_REQUESTS, FaultKind.BAD_GATEWAY),
            retry_after=2,
            methods=frozenset({"sendmessage"}),
        )
    )
    statuses: Counter[int] = Counter()
    started = time.time()
    for n in range(300):
        response = await api.raw("sendMessage", chat_id=emulator_user, text=f"#{n}")
        statuses[response.status_code] += 1
        if response.status_code == 429:
            assert response.json()["parameters"] == {"retry_after": 2}
        if response.status_code == 502:
            assert response.json()["description"] == "Bad Gateway"
    failed = statuses[429] + statuses[502]
    assert set(statuses) == {200, 429, 502}
    assert 60 <= failed <= 120  # 30 % of 300 is 90
    assert statuses[200] == 300 - failed
    # Methods outside the chosen set are never failed.
    assert (await api.ok("getMe"))["is_bot"] is True
    counters = emulator.state.counters(emulator.state.bot())
    assert counters["messages_total"] == statuses[200]
    assert counters["faults_injected"] == {"429": statuses[429], "502": statuses[502], "timeout": 0}
    # Each 429 is remembered with when it was given and the pause it asked for.
    pauses = counters["pauses_injected"]
    assert len(pauses) == statuses[429]
    assert all(started <= at <= time.time() and seconds == 2 for at, seconds in pauses)
    assert [at for at, _ in pauses] == sorted(at for at, _ in pauses)


async def test_a_429_asks_for_a_pause_drawn_from_the_range_given(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    emulator.state.faults.configure(
        FaultSettings(
            share=1.0,
            seed=3,
            kinds=(FaultKind.TOO_MANY_REQUESTS,),
            retry_after=1,
            retry_after_max=3,
        )
    )
    asked: Counter[int] = Counter()
    for n in range(60):
        response = await api.raw("sendMessage", chat_id=emulator_user, text=f"#{n}")
        assert response.status_code == 429
        asked[response.json()["parameters"]["retry_after"]] += 1
    assert set(asked) == {1, 2, 3}
    assert emulator.users.messages(emulator_user) == []
    with pytest.raises(ValueError, match="retry_after_max"):
        FaultSettings(retry_after=3, retry_after_max=2)


async def test_the_same_seed_fails_the_same_calls(api: BotApi, emulator: Emulator) -> None:
    def run() -> list[FaultKind | None]:
        emulator.state.faults.configure(FaultSettings(share=0.5, seed=42))
        return [emulator.state.faults.draw("getme") for _ in range(50)]

    first, second = run(), run()
    assert first == second
    assert 15 <= sum(kind is not None for kind in first) <= 35


async def test_a_timeout_hangs_the_request_past_the_clients_patience(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    emulator.state.faults.configure(
        FaultSettings(share=1.0, kinds=(FaultKind.TIMEOUT,), timeout_delay=0.5)
    )
    with pytest.raises(httpx.ReadTimeout):
        await api.http.post(
            f"/bot{api.token}/sendMessage",
            json={"chat_id": emulator_user, "text": "lost"},
            timeout=0.1,
        )
    assert emulator.users.messages(emulator_user) == []
    # A timed-out call that still took effect: the retry would make a duplicate.
    emulator.state.faults.configure(
        FaultSettings(
            share=1.0, kinds=(FaultKind.TIMEOUT,), timeout_delay=0.5, timeout_delivers=True
        )
    )
    with pytest.raises(httpx.ReadTimeout):
        await api.http.post(
            f"/bot{api.token}/sendMessage",
            json={"chat_id": emulator_user, "text": "delivered"},
            timeout=0.1,
        )
    assert [m["text"] for m in emulator.users.messages(emulator_user)] == ["delivered"]


async def test_blocked_user_answers_403_and_the_bot_hears_about_it(
    api: BotApi, emulator: Emulator, emulator_user: int
) -> None:
    emulator.users.block(emulator_user)
    status, description, _ = await api.error("sendMessage", chat_id=emulator_user, text="hi")
    assert (status, description) == (403, "Forbidden: bot was blocked by the user")
    status, _, _ = await api.error("sendChatAction", chat_id=emulator_user, action="typing")
    assert status == 403
    emulator.users.unblock(emulator_user)
    await api.ok("sendMessage", chat_id=emulator_user, text="welcome back")
    updates = await api.ok("getUpdates")
    changes = [u["my_chat_member"] for u in updates]
    assert [(c["old_chat_member"]["status"], c["new_chat_member"]["status"]) for c in changes] == [
        ("member", "kicked"),
        ("kicked", "member"),
    ]
    assert changes[0]["chat"]["id"] == emulator_user
    assert changes[0]["from"]["id"] == emulator_user
    assert changes[0]["new_chat_member"]["user"]["is_bot"] is True
    assert changes[0]["new_chat_member"]["until_date"] == 0
