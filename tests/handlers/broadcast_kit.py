"""What the broadcast tests share: a roster with an inside and an outside delegation, updates
carrying formatted text, photos and documents, the sender and the progress reporter."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from aiogram import Bot
from aiogram.types import Chat, InlineKeyboardMarkup, Message, Update, User
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from bot.app import App
from bot.broadcasts import ProgressReporter
from bot.deliveries.sender import DeliverySender
from storage.broadcasts import Broadcast
from storage.delivery_models import Delivery, DeliveryRecipient
from storage.models import Group, Mandate, Station
from tests.bot.delivery_kit import Clock, FaultySession
from tests.factories import add_delegation, add_representative, add_staff, make_user

STAFF, OTHER_STAFF, REP = 8801, 8802, 8811
# Inside the staff member's scope: three with Telegram (chats 8811-8813), one without.
INSIDE_CHATS = (8811, 8812, 8813)
OUTSIDE_CHAT = 8821
_ids = itertools.count(70_000)


async def seed(session: AsyncSession) -> dict[str, int]:
    inside = await add_delegation(session, "驻洛省十四届人大代表")
    outside = await add_delegation(session, "郑州市人大代表")
    assert inside.id is not None
    assert outside.id is not None
    group = Group(name="第一小组", delegation_id=inside.id)
    far_group = Group(name="外地小组", delegation_id=outside.id)
    empty_group = Group(name="空小组", delegation_id=inside.id)
    station = Station(name="西工区代表联络站")
    session.add_all([group, far_group, empty_group, station])
    await session.flush()
    names = ("王建国", "李<b>红</b>", "张伟")
    people = [
        await add_representative(session, telegram_id=chat, delegation=inside, name=name)
        for chat, name in zip(INSIDE_CHATS, names, strict=True)
    ]
    offline = await add_representative(session, telegram_id=None, delegation=inside, name="赵六")
    far = await add_representative(
        session, telegram_id=OUTSIDE_CHAT, delegation=outside, name="外人"
    )
    # 王建国 in the group and at the station; 外人 at the same station, outside the scope;
    # 赵六 (no Telegram account) alone in the empty group.
    mandates = {m.person_id: m for m in (await session.scalars(select(Mandate))).all()}
    mandates[people[0].id or 0].group_id = group.id
    mandates[people[0].id or 0].station_id = station.id
    mandates[far.id or 0].station_id = station.id
    mandates[far.id or 0].group_id = far_group.id
    mandates[offline.id or 0].group_id = empty_group.id
    await add_staff(session, telegram_id=STAFF, delegations=[inside])
    await add_staff(session, telegram_id=OTHER_STAFF, delegations=[outside])
    await session.commit()
    return {
        "inside": inside.id,
        "outside": outside.id,
        "group": group.id or 0,
        "far_group": far_group.id or 0,
        "empty_group": empty_group.id or 0,
        "station": station.id or 0,
    }


def markup_of(request: object) -> InlineKeyboardMarkup:
    markup = getattr(request, "reply_markup", None)
    assert isinstance(markup, InlineKeyboardMarkup)
    return markup


def staff_user(language: str = "en") -> User:
    return make_user(STAFF, language_code=language)


def message_update(user: User, **content: Any) -> Update:
    message = Message.model_validate(
        {
            "message_id": next(_ids),
            "date": datetime.now(UTC),
            "chat": Chat(id=user.id, type="private"),
            "from": user,
            **content,
        }
    )
    return Update(update_id=next(_ids), message=message)


def make_sender(
    app: App, api: FaultySession, clock: Clock | None = None, **settings: Any
) -> DeliverySender:
    bot = Bot(app.bot.token, session=api, default=app.bot.default)
    changed = app.settings.model_copy(update=settings)
    if clock is None:
        return DeliverySender(bot, app.sessionmaker, app.i18n, changed)
    return DeliverySender(bot, app.sessionmaker, app.i18n, changed, clock=clock, lease_clock=clock)


def make_reporter(app: App, clock: Clock) -> ProgressReporter:
    return ProgressReporter(app.bot, app.sessionmaker, app.i18n, app.settings, clock=clock)


async def drain(sender: DeliverySender) -> None:
    while await sender.run_once():
        pass


async def deliveries(session: AsyncSession) -> list[Delivery]:
    found = await session.scalars(
        select(Delivery).order_by(col(Delivery.id)).execution_options(populate_existing=True)
    )
    return list(found.all())


async def broadcasts(session: AsyncSession) -> list[Broadcast]:
    found = await session.scalars(
        select(Broadcast).order_by(col(Broadcast.id)).execution_options(populate_existing=True)
    )
    return list(found.all())


async def recipients(session: AsyncSession, delivery: Delivery) -> dict[int, str]:
    """Chat id → the row's state."""
    found = await session.execute(
        select(DeliveryRecipient.chat_id, DeliveryRecipient.state)
        .where(DeliveryRecipient.delivery_id == delivery.id)
        .execution_options(populate_existing=True)
    )
    return {chat: str(state) for chat, state in found.all()}
