"""Drives real updates through the real Dispatcher and shows what users received."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup, Update, User

from bot.app import App
from bot.polling import Poller
from tests.factories import make_callback, make_message
from tests.fakes import FakeSession


class Harness:
    def __init__(self, app: App) -> None:
        self.app = app
        assert isinstance(app.bot.session, FakeSession)
        self.api: FakeSession = app.bot.session
        self.poller = Poller(app.bot, app.dispatcher)

    async def feed(self, *updates: Update) -> None:
        await self.poller.handle_batch(list(updates))
        assert self.poller.escaped == 0, "an exception escaped the error handler (see the log)"

    async def feed_one(self, text: str, user: User) -> None:
        await self.feed(make_message(text, user=user))

    async def send(self, user: User, text: str) -> str:
        """Send a message as `user`; returns the last text the bot sent them."""
        before = len(self.api.texts(user.id))
        await self.feed(make_message(text, user=user))
        texts = self.api.texts(user.id)
        assert len(texts) > before, f"the bot did not answer {text!r}"
        return texts[-1]

    async def press(self, user: User, data: CallbackData | str, message_id: int = 1) -> None:
        await self.feed(make_callback(data, user=user, message_id=message_id))

    async def press_label(self, user: User, label: str) -> None:
        """Press the button labelled `label` on the last keyboard the bot sent `user`."""
        for request in reversed(self.api.sent(user.id)):
            markup = getattr(request, "reply_markup", None)
            if isinstance(markup, InlineKeyboardMarkup):
                for row in markup.inline_keyboard:
                    for button in row:
                        if button.text == label and button.callback_data:
                            await self.press(user, button.callback_data)
                            return
        raise AssertionError(f"no button {label!r} was sent to {user.id}")
