"""What nobody else handled: stale or forged buttons, and messages with no meaning here."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from handlers.permission import stranger_line
from services.actors import Actor
from services.errors import StaleButton
from services.permissions import Role


async def on_stale_button(query: CallbackQuery) -> None:
    await query.answer(_(StaleButton.message), show_alert=True)


async def on_unknown_message(message: Message, actor: Actor) -> None:
    if Role.stranger in actor.roles:
        await message.answer(stranger_line())
        return
    await message.answer(_("I did not understand that. Send /help to see what you can use."))


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_stale_button, flags={"action": "stale_button"})
    router.message.register(on_unknown_message, flags={"action": "unknown_message"})
    return router
