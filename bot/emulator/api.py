"""The Bot API entry point: token check, method lookup, call counters and fault injection."""

from __future__ import annotations

import re
from typing import Any

from bot.emulator import (
    methods_bot,
    methods_edit,
    methods_media,
    methods_messages,
    methods_updates,
)
from bot.emulator.call import Call, Handler
from bot.emulator.errors import JsonDict, not_found, unauthorized
from bot.emulator.params import Params
from bot.emulator.state import BotState, EmulatorState

_TOKEN_RE = re.compile(r"([0-9]{1,19}):([A-Za-z0-9_-]{1,256})\Z")


def bot_id_from_token(token: str) -> int:
    """Any ``<digits>:<text>`` token is valid and names the bot whose id is the digits."""
    match = _TOKEN_RE.match(token)
    if match is None or int(match.group(1)) == 0:
        raise unauthorized()
    return int(match.group(1))


class BotApi:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self._methods: dict[str, tuple[str, Handler]] = {}
        for module in (methods_bot, methods_edit, methods_media, methods_messages, methods_updates):
            for name, handler in module.METHODS.items():
                self._methods[name.lower()] = (name, handler)

    @property
    def method_names(self) -> list[str]:
        return sorted(name for name, _ in self._methods.values())

    async def call(self, token: str, method: str, params: Params) -> Any:
        return await self.call_for_bot(self.state.bot(bot_id_from_token(token)), method, params)

    async def call_for_bot(self, bot: BotState, method: str, params: Params) -> Any:
        # Method names are case-insensitive on Telegram; counters use the documented spelling.
        entry = self._methods.get(method.lower())
        if entry is None:
            raise not_found()
        name, handler = entry
        bot.method_calls[name] += 1
        call = Call(self.state, bot, params, self.webhook_reply)
        return await self.state.faults.run(name.lower(), lambda: handler(call))

    async def webhook_reply(self, bot: BotState, reply: JsonDict) -> None:
        values = {key: value for key, value in reply.items() if key != "method"}
        await self.call_for_bot(bot, str(reply["method"]), Params(values))
