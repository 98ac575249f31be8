"""Update-level middlewares: held replies, database session, actor, locale.

The handled-once check, with the reads that share its SELECT, is in bot.handle_once.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from aiogram.utils.i18n import I18nMiddleware
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.outbox import deliver_replies
from services.actors import Actor, actor_for, resolve_actor
from services.config import Settings
from services.outbox import holding_replies
from services.permissions import Role
from storage.db import bind_session
from storage.people import Identity

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger(__name__)


class DbSessionMiddleware(BaseMiddleware):
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self._sessionmaker() as session:
            with bind_session(session):
                data["session"] = session
                result = await handler(event, data)
                await session.commit()
                return result


class ReplyOutboxMiddleware(BaseMiddleware):
    """Holds an update's answers until its transaction commits, then sends them (bot.outbox)."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # noqa: S101 - registered on the update observer only
        with holding_replies() as held:
            result = await handler(event, data)
        bot = data["bot"]
        if held.staged:
            await deliver_replies(bot, self._sessionmaker, staged=held.staged)
        elif held.redelivered:
            # A redelivered update is skipped; send what a crash left unsent for it, if anything.
            await deliver_replies(bot, self._sessionmaker, update_id=event.update_id)
        for send in held.after_commit:
            await send()
        return result


class ActorMiddleware(BaseMiddleware):
    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        identity: Identity | None = data.pop("identity", None)
        if user is None:
            data["actor"] = Actor(
                telegram_id=0,
                roles=frozenset({Role.stranger}),
                locale=self._settings.default_locale.value,
            )
        elif identity is not None and identity.telegram_id == user.id:
            data["actor"] = actor_for(
                identity, language_code=user.language_code, settings=self._settings
            )
        else:
            data["actor"] = await resolve_actor(
                session=data["session"],
                telegram_id=user.id,
                language_code=user.language_code,
                settings=self._settings,
            )
        return await handler(event, data)


class ActorLocaleMiddleware(I18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        actor: Actor = data["actor"]
        return actor.locale
