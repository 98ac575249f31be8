"""Flood control and transient failures are waited out; other errors are not retried.

Through the bot's session middleware (bot.budget); the flood wait itself is timed in
tests/bot/test_budget.py."""

from __future__ import annotations

import time
from types import SimpleNamespace
from typing import Any

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter, TelegramServerError
from aiogram.methods import GetUpdates, SendMessage, TelegramMethod
from aiogram.methods.base import TelegramType

from bot import retry
from bot.budget import BudgetMiddleware
from tests.fakes import FakeSession


class FlakySession(FakeSession):
    def __init__(self, failures: list[Exception]) -> None:
        super().__init__()
        self.failures = failures

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        if self.failures:
            self.requests.append(method)
            raise self.failures.pop(0)
        return await super().make_request(bot, method, timeout)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waited: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waited.append(seconds)

    monkeypatch.setattr(retry, "asyncio", SimpleNamespace(sleep=fake_sleep))
    return waited


def _bot(session: FakeSession) -> Bot:
    session.middleware(BudgetMiddleware())
    return Bot("123456:" + "x" * 30, session=session)


async def test_waits_retry_after_then_sends_once(sleeps: list[float]) -> None:
    method = SendMessage(chat_id=1, text="你好")
    session = FlakySession([TelegramRetryAfter(method, "Too Many Requests: retry after 1", 1)])
    started = time.monotonic()
    message = await _bot(session).send_message(1, "你好")
    assert message.text == "你好"
    assert time.monotonic() - started >= 1.0
    assert sleeps == []  # the budget's shared pause, not a sleep of its own
    assert len(session.requests) == 2


async def test_flood_control_is_waited_out_however_often_it_comes(sleeps: list[float]) -> None:
    method = SendMessage(chat_id=1, text="x")
    floods: list[Exception] = [TelegramRetryAfter(method, "retry after 0", 0) for _ in range(7)]
    await _bot(FlakySession(floods)).send_message(1, "x")
    assert sleeps == []


async def test_server_errors_back_off(sleeps: list[float]) -> None:
    method = SendMessage(chat_id=1, text="x")
    errors: list[Exception] = [TelegramServerError(method, "Bad Gateway") for _ in range(2)]
    await _bot(FlakySession(errors)).send_message(1, "x")
    assert sleeps == [0.5, 1.0]


async def test_server_errors_are_raised_after_five_tries(sleeps: list[float]) -> None:
    method = SendMessage(chat_id=1, text="x")
    errors: list[Exception] = [TelegramServerError(method, "Bad Gateway") for _ in range(5)]
    session = FlakySession(errors)
    with pytest.raises(TelegramServerError):
        await _bot(session).send_message(1, "x")
    assert sleeps == [0.5, 1.0, 2.0, 4.0]
    assert len(session.requests) == 5


async def test_bad_requests_and_get_updates_are_not_retried(sleeps: list[float]) -> None:
    method = SendMessage(chat_id=1, text="x")
    session = FlakySession([TelegramBadRequest(method, "chat not found")])
    with pytest.raises(TelegramBadRequest):
        await _bot(session).send_message(1, "x")
    poll = FlakySession([TelegramServerError(GetUpdates(), "Bad Gateway")])
    with pytest.raises(TelegramServerError):
        await _bot(poll).get_updates()
    assert sleeps == []


async def test_a_very_long_wait_is_not_done_in_line(sleeps: list[float]) -> None:
    method: Any = SendMessage(chat_id=1, text="x")
    session = FlakySession([TelegramRetryAfter(method, "retry after 3600", 3600)])
    bot = _bot(session)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(1, "x")
    assert sleeps == []
    # Nor does anyone else wait that long: they keep their messages for later too.
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(2, "y")
    assert len(session.requests) == 1
