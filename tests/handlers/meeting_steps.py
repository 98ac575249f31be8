"""Moving the clock the services read, and delivering what the engine queued, for the
group-meeting handler tests."""

from __future__ import annotations

from datetime import datetime

from aiogram.methods import SendDocument
from aiogram.types import BufferedInputFile, InlineKeyboardMarkup

from bot.deliveries.sender import DeliverySender
from services.clock import set_offset
from services.scheduling.tick import tick
from storage.types import utcnow
from tests.harness import Harness


class Clock:
    def set(self, moment: datetime) -> None:
        """From now on the services read `moment` (and the time flowing on from it)."""
        set_offset(moment - utcnow())


async def deliver(tg: Harness) -> None:
    """Every delivery due now, sent through the fake Bot API."""
    app = tg.app
    sender = DeliverySender(app.bot, app.sessionmaker, app.i18n, app.settings)
    while await sender.run_once():
        pass


async def run_tick(tg: Harness, now: datetime) -> None:
    from services.meetings.planner import meeting_reminders

    await tick(
        sessionmaker=tg.app.sessionmaker,
        now=now,
        settings=tg.app.settings,
        planners=[meeting_reminders],
    )


def labels(tg: Harness, chat_id: int) -> list[str]:
    """The button labels of the last message with buttons sent to `chat_id`."""
    for request in reversed(tg.api.sent(chat_id)):
        markup = getattr(request, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            return [b.text for row in markup.inline_keyboard for b in row]
    return []


def documents(tg: Harness, chat_id: int) -> list[SendDocument]:
    return [r for r in tg.api.sent(chat_id) if isinstance(r, SendDocument)]


def uploaded(request: SendDocument) -> bytes:
    assert isinstance(request.document, BufferedInputFile)
    return request.document.data
