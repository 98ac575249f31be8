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
from services.actors import Actor, actor_for
from services.config import Settings
from services.outbox import holding_replies
from services.people import set_unreachable
from services.permissions import Role
from storage.db import bind_session
from storage.people import Identity, load_identity

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
        else:
            session: AsyncSession = data["session"]
            if identity is None or identity.telegram_id != user.id:
                identity = await load_identity(session=session, telegram_id=user.id)
            data["actor"] = actor_for(
                identity, language_code=user.language_code, settings=self._settings
            )
            person = identity.person
            if person is not None and person.unreachable and _in_their_chat(event):
                # Writing to the bot is proof they no longer block it, whether or not the
                # member update of their unblocking ever came: deliveries reach them again.
                await set_unreachable(session=session, telegram_id=user.id, unreachable=False)
        return await handler(event, data)


def _in_their_chat(event: TelegramObject) -> bool:
    """A message or a button press in the person's own chat with the bot."""
    if not isinstance(event, Update):
        return False
    if event.message is not None:
        return event.message.chat.type == "private"
    query = event.callback_query
    return query is not None and query.message is not None and query.message.chat.type == "private"


class ActorLocaleMiddleware(I18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        actor: Actor = data["actor"]
        return actor.locale
