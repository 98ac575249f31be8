"""/lang: choose the language; remembered for the person (or the Telegram user)."""

from __future__ import annotations

from dataclasses import replace

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.menu import set_chat_menu
from services.actors import SUPPORTED_LOCALES, Actor
from services.errors import BadInput, StaleButton
from services.i18n_marks import N_
from services.labels import language_from
from services.people import set_language

# Each language names itself, so the button is readable whatever the current language is.
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


class LangCallback(CallbackData, prefix="lang"):
    index: int


def language_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, code in enumerate(SUPPORTED_LOCALES):
        builder.button(text=LANGUAGE_NAMES[code], callback_data=LangCallback(index=index))
    return builder.as_markup()


async def cmd_lang(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    i18n: I18n,
    bot: Bot,
) -> None:
    if not command.args:
        await message.answer(_("Choose your language:"), reply_markup=language_keyboard())
        return
    code = language_from(command.args)
    if code is None or code not in SUPPORTED_LOCALES:
        raise BadInput(N_("Unknown language. Send /lang 中文 or /lang English."))
    await message.answer(await _switch(session, actor, i18n, bot, code))


async def on_lang_chosen(
    query: CallbackQuery,
    callback_data: LangCallback,
    session: AsyncSession,
    actor: Actor,
    i18n: I18n,
    bot: Bot,
) -> None:
    if callback_data.index >= len(SUPPORTED_LOCALES):
        raise StaleButton()
    text = await _switch(session, actor, i18n, bot, SUPPORTED_LOCALES[callback_data.index])
    await query.answer()
    if query.message is not None:
        await bot.edit_message_text(
            text=text, chat_id=query.message.chat.id, message_id=query.message.message_id
        )


async def _switch(session: AsyncSession, actor: Actor, i18n: I18n, bot: Bot, code: str) -> str:
    await set_language(session=session, telegram_id=actor.telegram_id, language=code)
    await set_chat_menu(bot, i18n, replace(actor, locale=code))
    with i18n.use_locale(code):
        return _("Language set: {language}.").format(language=LANGUAGE_NAMES[code])


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_lang, Command("lang"))
    router.callback_query.register(on_lang_chosen, LangCallback.filter(F.index >= 0))
    return router
