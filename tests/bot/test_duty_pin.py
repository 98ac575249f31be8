"""The evening-before duty notice, sent by the delivery sender: its text, then the station's
location as a map pin when staff shared one; without one, the text alone."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from aiogram.methods import SendLocation, SendMessage, TelegramMethod
from aiogram.types import Chat, Location, Message
from sqlalchemy.ext.asyncio import AsyncSession

from bot.app import App
from services.duty.planner import plan_duty_reminders
from tests.bot.delivery_kit import Clock, FaultySession, make_sender
from tests.fakes import BOT_USER
from tests.services.duty.kit import local, on_duty, people, station

pytestmark = pytest.mark.usefixtures("engine")
WED = date(2024, 3, 20)


class PinSession(FaultySession):
    """Answers sendLocation too, as Telegram does: with the message that holds the pin."""

    def _answer(self, method: TelegramMethod[Any]) -> Any:
        if isinstance(method, SendLocation):
            return Message(
                message_id=1,
                date=local(WED, 0),
                chat=Chat(id=int(method.chat_id), type="private"),
                from_user=BOT_USER,
                location=Location(latitude=method.latitude, longitude=method.longitude),
            )
        return super()._answer(method)


async def test_the_evening_notice_carries_the_station_s_pin(
    app: App, session: AsyncSession, clock: Clock
) -> None:
    pinned = await station(session, name="城关站")
    bare = await station(session, name="西关站")
    pinned.latitude, pinned.longitude = 34.6197, 112.4539
    first, second = await people(session, pinned, 1, first_tg=800) + await people(
        session, bare, 1, first_tg=900
    )
    await on_duty(session, pinned, first, WED)
    await on_duty(session, bare, second, WED)
    await plan_duty_reminders(
        session=session, now=local(WED - timedelta(days=1), 19), settings=app.settings
    )
    await session.commit()
    api = PinSession()
    clock.now = local(WED - timedelta(days=1), 19, 1)
    assert await make_sender(app, api, clock).run_once() == 2
    calls = [(type(m), getattr(m, "latitude", None)) for m in api.sent(800)]
    assert calls == [(SendMessage, None), (SendLocation, 34.6197)]
    pin = api.sent(800)[1]
    assert isinstance(pin, SendLocation)
    assert pin.longitude == 112.4539
    assert "明天" in api.texts(800)[0]
    assert [type(m) for m in api.sent(900)] == [SendMessage]
