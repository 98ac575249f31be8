"""A real aiogram Bot pointed at the emulator: every result must parse as a Telegram object."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, Router, html
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError, TelegramRetryAfter
from aiogram.filters import CommandStart
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)

from bot.emulator import Emulator, RateLimits
from tests.emulator.helpers import png_bytes


@pytest.fixture
async def bot(emulator: Emulator) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(emulator.base_url))
    real_bot = Bot(emulator.token, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    yield real_bot
    await real_bot.session.close()


async def test_messages_edits_and_updates_round_trip(
    bot: Bot, emulator: Emulator, emulator_user: int
) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot) == (100000001, True)
    emulator.users.send_command(emulator_user, "start")
    [update] = await bot.get_updates(timeout=1)
    assert update.message is not None
    assert update.message.text == "/start"
    assert update.message.from_user is not None
    assert update.message.from_user.language_code == "zh"
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="报名", callback_data="signup:1")]]
    )
    sent = await bot.send_message(emulator_user, "<b>活动</b> 通知", reply_markup=keyboard)
    assert sent.text == "活动 通知"
    assert sent.entities is not None
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 2)]
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == keyboard.model_dump()
    query_id = emulator.users.press_button(emulator_user, sent.message_id, data="signup:1")
    [pressed] = await bot.get_updates(offset=update.update_id + 1, timeout=1)
    assert pressed.callback_query is not None
    assert (pressed.callback_query.id, pressed.callback_query.data) == (query_id, "signup:1")
    assert await bot.answer_callback_query(query_id, text="已报名") is True
    assert emulator.users.callback_answer(query_id) == {
        "text": "已报名",
        "show_alert": False,
        "url": None,
        "cache_time": 0,
    }
    edited = await bot.edit_message_text(
        "已更新", chat_id=emulator_user, message_id=sent.message_id
    )
    assert not isinstance(edited, bool)
    assert (edited.text, edited.reply_markup) == ("已更新", None)
    assert edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=emulator_user, message_id=999)


async def test_files_commands_and_errors_parse(
    bot: Bot, emulator: Emulator, emulator_user: int
) -> None:
    document = await bot.send_document(
        emulator_user, BufferedInputFile(b"a,b\n", filename="报表.csv"), caption="季度报表"
    )
    assert document.document is not None
    assert (document.document.file_name, document.caption) == ("报表.csv", "季度报表")
    file = await bot.get_file(document.document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None
    assert downloaded.read() == b"a,b\n"
    photo = await bot.send_photo(emulator_user, BufferedInputFile(png_bytes(50, 40), "p.png"))
    assert photo.photo is not None
    assert (photo.photo[-1].width, photo.photo[-1].height) == (50, 40)
    commands = [BotCommand(command="start", description="开始")]
    scope = BotCommandScopeAllPrivateChats()
    assert await bot.set_my_commands(commands, scope=scope, language_code="zh") is True
    stored = await bot.get_my_commands(scope=scope, language_code="zh")
    assert [(c.command, c.description) for c in stored] == [("start", "开始")]
    assert await bot.get_my_commands() == []
    copied = await bot.copy_message(emulator_user, emulator_user, document.message_id)
    assert copied.message_id == document.message_id + 2
    emulator.users.block(emulator_user)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(emulator_user, "hi")
    emulator.users.unblock(emulator_user)
    emulator.state.limiter.configure(RateLimits(private_burst=1))
    await bot.send_message(emulator_user, "one")
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(emulator_user, "two")
    assert caught.value.retry_after == 1
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count) == ("", 2)


async def test_a_dispatcher_polls_and_answers_through_the_emulator(
    bot: Bot, emulator: Emulator, emulator_user: int
) -> None:
    router = Router(name="echo")

    @router.message(CommandStart())
    async def cmd_start(message: Message) -> None:
        name = message.from_user.first_name if message.from_user else ""
        await message.answer(f"你好，{html.quote(name)}")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    polling = asyncio.create_task(
        dispatcher.start_polling(
            bot, polling_timeout=1, handle_signals=False, close_bot_session=False
        )
    )
    emulator.users.send_command(emulator_user, "start")
    reply = await emulator.users.next_message(emulator_user, wait_seconds=5)
    await dispatcher.stop_polling()
    await polling
    assert reply["text"] == "你好，Alice"
    assert emulator.state.bot().updates.pending_count == 0
