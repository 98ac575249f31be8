"""/start and /help."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from handlers.menu import set_chat_menu
from handlers.permission import stranger_line
from services.actors import Actor
from services.permissions import Role, commands_for
from services.text import esc


async def cmd_start(message: Message, actor: Actor, bot: Bot, i18n: I18n) -> None:
    if Role.stranger in actor.roles:
        await message.answer(stranger_line())
        return
    greeting = _("Hello, {name}!").format(name=f"<b>{esc(actor.name or '')}</b>")
    await message.answer(greeting + "\n\n" + help_text(actor))
    # Roles change (a grant, a roster import): /start brings the menu up to date.
    await set_chat_menu(bot, i18n, actor)


async def cmd_help(message: Message, actor: Actor) -> None:
    if Role.stranger in actor.roles:
        await message.answer(stranger_line())
        return
    await message.answer(help_text(actor))


def help_text(actor: Actor) -> str:
    lines = [_("What you can use:")]
    lines += [f"/{name} — {_(description)}" for name, description in commands_for(actor.roles)]
    return "\n".join(lines)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_start, CommandStart())
    router.message.register(cmd_help, Command("help"))
    return router
