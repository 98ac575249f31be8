"""The yardstick for `bench updates`: aiogram alone, answering the same updates the same way.

No database, no actor, no held replies: a Dispatcher with its default in-memory FSM and one router
whose handlers each send one message, as the app's do for these updates.
"""

from __future__ import annotations

from aiogram import Dispatcher, F, Router
from aiogram.filters import Command, CommandStart
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

_KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="中文", callback_data="lang:0")]]
)


async def _start(message: Message) -> None:
    await message.answer("hello")


async def _help(message: Message) -> None:
    await message.answer("help")


async def _lang(message: Message) -> None:
    await message.answer("choose", reply_markup=_KEYBOARD)


async def _text(message: Message) -> None:
    await message.answer("text")


def bare_dispatcher() -> Dispatcher:
    router = Router(name="bare")
    router.message.filter(F.chat.type == "private")
    router.message.register(_start, CommandStart())
    router.message.register(_help, Command("help"))
    router.message.register(_lang, Command("lang"))
    router.message.register(_text, F.text)
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher
