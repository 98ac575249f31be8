"""The sender's own way to the Bot API (bot.deliveries.wire), over HTTP to the emulator: the same
form aiogram sends, Telegram's answers turned into the same outcomes, the configured API server
and proxy, and aiogram's path where the session is not aiohttp's."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qsl

import pytest
from aiogram import Bot
from aiogram.methods import SendMessage, SendPhoto
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App, build_bot
from bot.deliveries.sender import DeliverySender
from bot.deliveries.wire import Wire
from bot.emulator import Emulator, EmulatorSettings, FaultKind, RateLimits
from services.deliveries.model import TextContent
from storage.delivery_models import RecipientState
from tests.bot.delivery_kit import Clock, add_people, queue_notice, rows_of
from tests.e2e.proxies import Proxy
from tests.fakes import FakeSession

pytestmark = pytest.mark.usefixtures("engine")
NOTICE = TextContent(
    text="明天上午九时开会 <第一会议室>",
    entities=[{"type": "bold", "offset": 0, "length": 4}],
)


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    async with Emulator(settings=EmulatorSettings(limits=RateLimits(enabled=False))) as emulator:
        yield emulator


def _sender(app: App, emulator: Emulator, clock: Clock, **settings: Any) -> DeliverySender:
    changed = app.settings.model_copy(
        update={
            "telegram_api_url": emulator.base_url,
            "bot_token": SecretStr(emulator.token),
            **settings,
        }
    )
    bot = build_bot(changed)
    return DeliverySender(bot, app.sessionmaker, app.i18n, changed, clock=clock, lease_clock=clock)


async def _drain(sender: DeliverySender) -> None:
    try:
        while await sender.run_once():
            pass
    finally:
        await sender.bot.session.close()


async def test_the_form_is_the_one_aiogram_posts(app: App) -> None:
    bot = build_bot(app.settings)
    wire = Wire(bot)
    assert wire.direct
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="确认 & go", callback_data="ok:1")]]
    )
    for method in (
        SendMessage(chat_id=42, text="<b>会议</b> a+b=c", reply_markup=markup),
        SendPhoto(chat_id=42, photo="AgAD-file", caption="图 1", allow_paid_broadcast=True),
    ):
        call = wire.prepare(method)
        form = bot.session.build_form_data(bot, method)  # type: ignore[attr-defined]
        theirs = {options["name"]: value for options, _headers, value in form._fields}
        ours = dict(parse_qsl(f"chat_id=42&{call.form}", keep_blank_values=True))
        assert ours == theirs
        assert ours["parse_mode"] == "HTML"
    await bot.session.close()


async def test_a_broadcast_reaches_everyone_through_the_wire(
    app: App, session: AsyncSession, emulator: Emulator, clock: Clock
) -> None:
    people = await add_people(session, "zh", "en", None)
    for person in people:
        emulator.users.create_user(person.name, user_id=person.telegram_id)
    delivery = await queue_notice(session, people, NOTICE)
    sender = _sender(app, emulator, clock)
    assert Wire(sender.bot).direct
    await _drain(sender)
    for person in people:
        [message] = emulator.users.messages(person.telegram_id or 0)
        assert message["text"] == "明天上午九时开会 <第一会议室>"
        assert message["message"]["entities"][0]["type"] == "bold"
    rows = await rows_of(session, delivery)
    assert [row.state for row in rows] == [RecipientState.sent] * 3
    assert all(row.sent_at is not None for row in rows)


async def test_telegrams_answers_make_the_same_outcomes_through_the_wire(
    app: App, session: AsyncSession, emulator: Emulator, clock: Clock
) -> None:
    blocked, flooded, failing, missing = await add_people(session, "zh", "zh", "zh", "zh")
    for person in (blocked, flooded, failing):
        emulator.users.create_user(person.name, user_id=person.telegram_id)
    emulator.users.block(blocked.telegram_id or 0)
    # One send at a time, in the rows' order: the blocked person's, a 429 then the retry, a 502
    # then the retry, and the one to a chat that does not exist.
    faults: list[FaultKind | None] = [
        None,
        FaultKind.TOO_MANY_REQUESTS,
        None,
        FaultKind.BAD_GATEWAY,
    ]

    def draw(method: str) -> FaultKind | None:
        return faults.pop(0) if faults else None

    emulator.state.faults.draw = draw  # type: ignore[method-assign]
    delivery = await queue_notice(session, [blocked, flooded, failing, missing], NOTICE)
    sender = _sender(app, emulator, clock, delivery_concurrency=1)
    started = time.monotonic()
    await _drain(sender)
    rows = {row.chat_id: row for row in await rows_of(session, delivery)}
    assert rows[blocked.telegram_id or 0].state == RecipientState.unreachable
    assert rows[blocked.telegram_id or 0].error == "Forbidden: bot was blocked by the user"
    await session.refresh(blocked)
    assert blocked.unreachable
    # The 429 is waited out (retry_after 1 s, the whole token paused), the 502 retried: both
    # sent once, neither counted as a failed attempt.
    assert time.monotonic() - started >= 1.0
    for person in (flooded, failing):
        assert rows[person.telegram_id or 0].state == RecipientState.sent
        assert rows[person.telegram_id or 0].attempts == 0
        assert len(emulator.users.messages(person.telegram_id or 0)) == 1
    # 400 fails at once with Telegram's description.
    assert rows[missing.telegram_id or 0].state == RecipientState.failed
    assert rows[missing.telegram_id or 0].error == "Bad Request: chat not found"
    assert faults == []


async def test_deliveries_go_through_the_configured_proxy(
    app: App, session: AsyncSession, emulator: Emulator, clock: Clock
) -> None:
    people = await add_people(session, "zh", "zh")
    for person in people:
        emulator.users.create_user(person.name, user_id=person.telegram_id)
    await queue_notice(session, people, NOTICE)
    async with Proxy("socks5") as proxy:
        sender = _sender(app, emulator, clock, telegram_proxy=SecretStr(proxy.url))
        assert Wire(sender.bot).direct
        await _drain(sender)
    assert [len(emulator.users.messages(p.telegram_id or 0)) for p in people] == [1, 1]
    assert set(proxy.targets) == {emulator.base_url.removeprefix("http://").rstrip("/")}
    assert proxy.sent.count(b"POST /bot") == 2


async def test_a_session_that_is_not_aiohttps_goes_through_aiogram(app: App) -> None:
    session = FakeSession()
    wire = Wire(Bot(app.bot.token, session=session, default=app.bot.default))
    assert not wire.direct
    call = wire.prepare(SendMessage(chat_id=7, text="x"))
    assert call.form == ""
    await wire.send(call, 8)
    [sent] = session.requests
    assert isinstance(sent, SendMessage)
    assert sent.chat_id == 8
