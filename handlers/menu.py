"""The command menu (setMyCommands), per language, listing what a role may use."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from services.actors import SUPPORTED_LOCALES, Actor
from services.permissions import Role, commands_for


def menu(roles: frozenset[Role]) -> list[BotCommand]:
    return [
        BotCommand(command=name, description=_(description))
        for name, description in commands_for(roles)
    ]


async def set_default_menus(bot: Bot, i18n: I18n) -> None:
    """What someone not yet known sees, in each language (and without a language)."""
    with i18n.context():
        for locale in SUPPORTED_LOCALES:
            with i18n.use_locale(locale):
                commands = menu(frozenset({Role.stranger}))
            await bot.set_my_commands(
                commands, scope=BotCommandScopeDefault(), language_code=locale
            )
        with i18n.use_locale(i18n.default_locale):
            await bot.set_my_commands(
                menu(frozenset({Role.stranger})), scope=BotCommandScopeDefault()
            )


async def set_chat_menu(bot: Bot, i18n: I18n, actor: Actor) -> None:
    """The menu of one person, in their language, for their roles."""
    with i18n.context(), i18n.use_locale(actor.locale):
        commands = menu(actor.roles)
    await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=actor.telegram_id))
