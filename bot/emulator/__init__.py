"""A local Telegram Bot API emulator for tests, the terminal demo and benchmarks.

It speaks the Bot API wire protocol on 127.0.0.1 so an unmodified aiogram ``Bot`` can be
pointed at it, and it plays every user on the other side of the chats. Nothing here contacts
Telegram.
"""

from bot.emulator.client import EmulatorClient
from bot.emulator.errors import ApiError, UserSideError
from bot.emulator.server import Emulator, create_app, serve
from bot.emulator.settings import EmulatorSettings, FaultKind, FaultSettings, RateLimits
from bot.emulator.state import EmulatorState
from bot.emulator.users import UserSide

__all__ = [
    "ApiError",
    "Emulator",
    "EmulatorClient",
    "EmulatorSettings",
    "EmulatorState",
    "FaultKind",
    "FaultSettings",
    "RateLimits",
    "UserSide",
    "UserSideError",
    "create_app",
    "serve",
]
