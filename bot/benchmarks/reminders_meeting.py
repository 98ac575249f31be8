"""`bench reminders`' meeting notice: a group leader's /meeting, through the real Dispatcher on
the null Bot API, timed from the update pressing "Publish" to its transaction committed with the
notice queued for every member (the answers held until the commit included)."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from aiogram import Bot
from aiogram.methods import SendDocument, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import Chat, Document, Message
from sqlalchemy import func
from sqlmodel import select

from bot.app import App
from bot.benchmarks.activities_seed import Representative
from bot.benchmarks.activities_updates import message_update, press_update
from bot.benchmarks.reminders_seed import DELEGATIONS, GROUP_SIZE, TELEGRAM_BASE
from bot.benchmarks.report import percentile
from bot.benchmarks.sink import SinkSession
from bot.polling import Poller
from handlers.meeting import MeetingGroup, MeetingStep, Press
from services.clock import utcnow
from services.dates import local_today
from storage.delivery_models import Delivery, DeliveryRecipient

TARGET_NOTICE_P99_MS = 50.0
WARM_UP = 2


class MeetingSink(SinkSession):
    """The null Bot API, also answering sendDocument (the organiser's calendar file)."""

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109
    ) -> TelegramType:
        if isinstance(method, SendDocument):
            result: Any = Message(
                message_id=1,
                date=utcnow(),
                chat=Chat(id=int(method.chat_id), type="private"),
                document=Document(file_id="ics", file_unique_id="ics"),
            )
            return result  # type: ignore[no-any-return]
        return await super().make_request(bot, method, timeout)


def leader(group: int) -> Representative:
    """The leader of `group` as bot.benchmarks.reminders_seed made them: the first person of
    the group's delegation at its rank."""
    delegation = (group - 1) % DELEGATIONS + 1
    person = ((group - 1) // DELEGATIONS) * GROUP_SIZE * DELEGATIONS + delegation
    return Representative(person, person, delegation, TELEGRAM_BASE + person)


async def meeting_notices(app: App, groups: int, samples: int) -> list[object]:
    """A row of the table: `samples` notices (after WARM_UP), each by another group's leader."""
    poller = Poller(app.bot, app.dispatcher)
    day = local_today(utcnow(), app.settings.tz) + timedelta(days=10)
    latencies, wrong = [], 0
    for number in range(WARM_UP + samples):
        group = number % groups + 1
        rep = leader(group)
        steps = [
            message_update(rep, "/meeting"),
            press_update(rep, MeetingGroup(group_id=group).pack()),
            message_update(rep, "第二季度小组活动"),
            message_update(rep, f"{day.isoformat()} 14:30-16:30"),
            message_update(rep, "联络站二楼会议室"),
            press_update(rep, MeetingStep(press=Press.skip_location).pack()),
            press_update(rep, MeetingStep(press=Press.skip_agenda).pack()),
        ]
        for step in steps:
            await poller.handle_batch([step])
        before = await _notices(app)
        started = time.perf_counter()
        await poller.handle_batch([press_update(rep, MeetingStep(press=Press.publish).pack())])
        elapsed = (time.perf_counter() - started) * 1000
        queued = await _notices(app) - before
        wrong += queued != GROUP_SIZE
        if number >= WARM_UP:
            latencies.append(elapsed)
    if poller.escaped:
        raise RuntimeError(f"{poller.escaped} updates failed outside the error handler")
    if wrong:
        raise RuntimeError(f"{wrong} notices did not queue one row for each of {GROUP_SIZE}")
    p99 = percentile(latencies, 0.99)
    within = "yes" if p99 <= TARGET_NOTICE_P99_MS else "no"
    label = f"meeting notice to {GROUP_SIZE} (Publish → queued)"
    return [label, samples, percentile(latencies, 0.5), p99, TARGET_NOTICE_P99_MS, within]


async def _notices(app: App) -> int:
    """Recipient rows of meeting notices."""
    async with app.sessionmaker() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(DeliveryRecipient)
            .join(Delivery, Delivery.id == DeliveryRecipient.delivery_id)  # type: ignore[arg-type]
            .where(Delivery.dedupe_key.like("meeting:%:notice"))  # type: ignore[attr-defined]
        )
    return int(count or 0)
