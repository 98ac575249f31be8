"""The update's own transaction: skip it if handled before, else handle it and mark it handled.

The same SELECT that looks for the mark reads who is writing (for ActorMiddleware) and, with the
database FSM, the dialog state that aiogram's FSM middleware asks for next.

A handler that fails is answered here too, inside the transaction: its work is rolled back, the
error handler's answer is held like any other, and the update is marked handled with it. Left
to aiogram's own error middleware (outside the session), that answer would go out directly with
no mark, and a crash before the offset was confirmed would answer the redelivery a second time.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot, Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED, CancelHandler, SkipHandler
from aiogram.types import ErrorEvent, TelegramObject, Update, User
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import take_held
from services.logs import log_context
from services.outbox import current_hold
from storage.fsm import DatabaseStorage
from storage.updates import load_update_start, record_handled

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger(__name__)


class HandleOnceMiddleware(BaseMiddleware):
    def __init__(self, dispatcher: Dispatcher) -> None:
        self._dispatcher = dispatcher

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # noqa: S101 - registered on the update observer only
        bot: Bot = data["bot"]
        user: User | None = data.get("event_from_user")
        with log_context(update_id=event.update_id, user_id=user.id if user else None):
            session: AsyncSession = data["session"]
            fsm_key = self._fsm_key(bot, data)
            start = await load_update_start(
                session=session,
                bot_id=bot.id,
                update_id=event.update_id,
                telegram_id=user.id if user else None,
                fsm_key=fsm_key,
            )
            if start.handled:
                log.info("skipped an update handled before")
                held = current_hold()
                if held is not None:
                    held.redelivered = True
                return None
            if fsm_key is not None:
                DatabaseStorage.remember(session, fsm_key, start.fsm_record)
            data["identity"] = start.identity
            try:
                result = await handler(event, data)
            except (SkipHandler, CancelHandler):
                raise
            except Exception as exc:
                result = await self._answer_error(session, event, exc, data)
            replies = take_held(bot_id=bot.id, update_id=event.update_id)
            # Last, with the commit: DbSessionMiddleware commits as soon as this returns.
            await record_handled(
                session=session, bot_id=bot.id, update_id=event.update_id, replies=replies
            )
            return result

    async def _answer_error(
        self, session: AsyncSession, event: Update, exc: Exception, data: dict[str, Any]
    ) -> Any:
        # The failed work is void, and so are the answers it made.
        await session.rollback()
        DatabaseStorage.forget(session)
        held = current_hold()
        if held is not None:
            held.calls.clear()
        response = await self._dispatcher.propagate_event(
            update_type="error", event=ErrorEvent(update=event, exception=exc), **data
        )
        if response is UNHANDLED:
            raise exc
        return response

    def _fsm_key(self, bot: Bot, data: dict[str, Any]) -> str | None:
        fsm = self._dispatcher.fsm
        context = fsm.resolve_event_context(bot, data)
        if context is None or not isinstance(fsm.storage, DatabaseStorage):
            return None
        return fsm.storage.key_of(context.key)
