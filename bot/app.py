"""The app factory: every long-lived object is built here, once, from Settings."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.budget import BudgetLimits, BudgetMiddleware
from bot.connection import telegram_session
from bot.filters import run_filters_on_loop
from bot.handle_once import HandleOnceMiddleware
from bot.i18n import build_i18n
from bot.middlewares import (
    ActorLocaleMiddleware,
    ActorMiddleware,
    DbSessionMiddleware,
    ReplyOutboxMiddleware,
)
from bot.outbox import HoldRepliesMiddleware
from handlers import get_routers
from services.clock import follow_file
from services.config import Settings
from storage.db import create_engine, create_sessionmaker
from storage.fsm import DatabaseStorage

# A syntactically valid token for running against a fake or local Bot API without a real one.
OFFLINE_TOKEN = "123456:offline-token-for-local-bot-api-only"  # noqa: S105


@dataclass
class App:
    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    i18n: I18n

    async def close(self) -> None:
        await self.dispatcher.storage.close()
        await self.dispatcher.fsm.events_isolation.close()
        await self.bot.session.close()
        await self.engine.dispose()


def build_app(settings: Settings, *, bot_session: BaseSession | None = None) -> App:
    if settings.clock_file is not None:
        follow_file(settings.clock_file)
    engine = create_engine(
        settings.database_url,
        sqlite_busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        concurrency=settings.polling_concurrency,
    )
    sessionmaker = create_sessionmaker(engine)
    i18n = build_i18n(settings)
    bot = build_bot(settings, session=bot_session)
    storage, isolation = build_fsm(settings, sessionmaker)
    # disable_fsm: aiogram would put its FSM middleware ahead of everything registered here, so
    # that it read the dialog state before the update's session exists; it is added below,
    # inside that session, and reads the state in the update's own transaction.
    dispatcher = Dispatcher(
        storage=storage, events_isolation=isolation, disable_fsm=True, settings=settings, i18n=i18n
    )
    # Outermost first; aiogram's error and user-context middlewares come before all of these.
    dispatcher.update.outer_middleware(ReplyOutboxMiddleware(sessionmaker))
    dispatcher.update.outer_middleware(DbSessionMiddleware(sessionmaker))
    dispatcher.update.outer_middleware(HandleOnceMiddleware(dispatcher))
    dispatcher.update.outer_middleware(ActorMiddleware(settings))
    dispatcher.update.outer_middleware(dispatcher.fsm)
    ActorLocaleMiddleware(i18n).setup(dispatcher, exclude={"error"})
    dispatcher.include_routers(*get_routers())
    run_filters_on_loop(dispatcher)
    return App(settings, bot, dispatcher, engine, sessionmaker, i18n)


def build_bot(settings: Settings, *, session: BaseSession | None = None) -> Bot:
    if session is None:
        session = telegram_session(settings)
    if settings.telegram_api_url:
        session.api = TelegramAPIServer.from_base(settings.telegram_api_url)
    # Outermost first: a held reply is not sent, so it takes no slot and is not retried either.
    session.middleware(HoldRepliesMiddleware())
    session.middleware(BudgetMiddleware(BudgetLimits.from_settings(settings)))
    token = settings.bot_token.get_secret_value() if settings.bot_token else OFFLINE_TOKEN
    return Bot(token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


def build_fsm(
    settings: Settings, sessionmaker: async_sessionmaker[AsyncSession]
) -> tuple[BaseStorage, BaseEventIsolation]:
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisStorage

        redis_storage = RedisStorage.from_url(settings.redis_url)
        return redis_storage, redis_storage.create_isolation()
    return DatabaseStorage(sessionmaker), SimpleEventIsolation()
