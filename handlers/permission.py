"""Applies services.permissions to every handler, before it runs."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackQueryFilter
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from services.actors import Actor
from services.permissions import ACTIONS, CALLBACKS, COMMANDS, Role, Rule, is_allowed

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def permission_key(handler: HandlerObject) -> tuple[str, str] | None:
    """("command"|"callback"|"action", name) naming the table entry that guards a handler."""
    if "action" in handler.flags:
        return "action", str(handler.flags["action"])
    for filter_object in handler.filters or ():
        found = filter_object.callback
        if isinstance(found, Command):
            names = [c for c in found.commands if isinstance(c, str)]
            if names:
                return "command", names[0]
        if isinstance(found, CallbackQueryFilter):
            return "callback", found.callback_data.__prefix__
    return None


def rule_for(key: tuple[str, str] | None) -> Rule | None:
    if key is None:
        return None
    table = {"command": COMMANDS, "callback": CALLBACKS, "action": ACTIONS}[key[0]]
    return table.get(key[1])


class PermissionMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        handler_object: HandlerObject = data["handler"]
        key = permission_key(handler_object)
        rule = rule_for(key)
        actor: Actor = data["actor"]
        if rule is None:
            log.error("handler %s has no permission entry; refused", handler_object.callback)
        if rule is not None and is_allowed(rule, actor.roles):
            return await handler(event, data)
        await _refuse(event, actor)
        return None


async def _refuse(event: TelegramObject, actor: Actor) -> None:
    if Role.stranger in actor.roles:
        text = stranger_line()
    else:
        text = _("This is not available for your role. Send /help to see what you can use.")
    if isinstance(event, CallbackQuery):
        await event.answer(text, show_alert=True)
    elif isinstance(event, Message):
        await event.answer(text)


def stranger_line() -> str:
    return _(
        "This bot serves people's congress representatives and liaison staff. "
        "To use it, ask your liaison office for an invitation link or code; "
        "if you have a code, send it here."
    )
