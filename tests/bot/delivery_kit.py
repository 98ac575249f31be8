"""What the sender's tests share: a Bot API that fails on demand, a clock, people, a sender."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.app import App
from bot.budget import Lane, current_lane
from bot.deliveries.sender import DeliverySender
from services.config import Settings
from services.deliveries.enqueue import enqueue
from services.deliveries.model import Content, People, TextContent
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Person
from tests.factories import add_delegation, add_representative
from tests.fakes import FakeSession

START = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
NOTICE = TextContent(text="明天上午九时开会")
FAULTS: dict[str, Callable[[TelegramMethod[Any]], Exception]] = {
    "403": lambda m: TelegramForbiddenError(m, "Forbidden: bot was blocked by the user"),
    "400": lambda m: TelegramBadRequest(m, "Bad Request: chat not found"),
    "500": lambda m: TelegramServerError(m, "Internal Server Error"),
    "timeout": lambda m: TelegramNetworkError(m, "Request timeout error"),
    "429": lambda m: TelegramRetryAfter(m, "Too Many Requests: retry after 7", retry_after=7),
}


class FaultySession(FakeSession):
    """Fails the next calls to a chat as listed in `faults[chat_id]`; records each call's lane.
    No retry middleware sits in front: the errors are those the session's retries gave up on."""

    def __init__(self) -> None:
        super().__init__()
        self.faults: dict[int, list[str]] = defaultdict(list)
        self.lanes: list[Lane] = []
        # Every call, accepted or failed (`requests` holds the accepted ones).
        self.tried: list[TelegramMethod[Any]] = []
        self.during: Callable[[TelegramMethod[Any]], Awaitable[None]] | None = None

    async def make_request(
        self, bot: Bot, method: TelegramMethod[TelegramType], timeout: int | None = None
    ) -> TelegramType:
        self.lanes.append(current_lane())
        self.tried.append(method)
        if self.during is not None:
            await self.during(method)
        chat_id = getattr(method, "chat_id", None)
        if isinstance(chat_id, int) and self.faults.get(chat_id):
            raise FAULTS[self.faults[chat_id].pop(0)](method)
        return await super().make_request(bot, method, timeout)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_sender(app: App, api: FaultySession, clock: Clock, **settings: Any) -> DeliverySender:
    bot = Bot(app.bot.token, session=api, default=app.bot.default)
    changed: Settings = app.settings.model_copy(update=settings)
    return DeliverySender(bot, app.sessionmaker, app.i18n, changed, clock=clock, lease_clock=clock)


async def rows_of(session: AsyncSession, delivery: Delivery) -> list[DeliveryRecipient]:
    found = await session.scalars(
        select(DeliveryRecipient)
        .where(DeliveryRecipient.delivery_id == delivery.id)
        .order_by(col(DeliveryRecipient.id))
        .execution_options(populate_existing=True)
    )
    return list(found.all())


async def state_of(session: AsyncSession, delivery: Delivery) -> str:
    assert delivery.id is not None
    found = await session.get(Delivery, delivery.id, populate_existing=True)
    assert found is not None
    return str(found.state)


async def add_people(session: AsyncSession, *languages: str | None) -> list[Person]:
    """Representatives with chats 500, 501, … in the languages given (None: not chosen)."""
    delegation = await add_delegation(session)
    return [
        await add_representative(
            session, telegram_id=500 + i, delegation=delegation, name=f"代表{i}", language=lang
        )
        for i, lang in enumerate(languages)
    ]


async def queue_notice(
    session: AsyncSession,
    people: list[Person],
    content: Content = NOTICE,
    key: str = "notice:1",
    **kw: Any,
) -> Delivery:
    delivery = await enqueue(
        session=session,
        dedupe_key=key,
        audience=People([p.id for p in people if p.id is not None]),
        content=content,
        not_before=kw.pop("not_before", START),
        **kw,
    )
    await session.commit()
    return delivery
