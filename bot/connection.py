"""How this process reaches the Bot API: the HTTP session (through TELEGRAM_PROXY when set), and
the first call at start, which turns an unreachable address into one line naming it."""

from __future__ import annotations

import ssl

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.methods import GetMe, TelegramMethod
from aiogram.methods.base import TelegramType

from services.config import Settings

TELEGRAM = "https://api.telegram.org"
# A tunnel across the border can take a while to open; a dead proxy is not worth waiting on.
FIRST_CONTACT_TIMEOUT = 20


class ProxiedSession(AiohttpSession):
    """aiogram wraps aiohttp's errors as TelegramNetworkError but not aiohttp-socks' own: without
    this, a proxy restarting would end polling instead of being retried like any network error."""

    def __init__(self, proxy: str) -> None:
        # A proxy spoken to over TLS: aiohttp-socks can, aiogram's URL parser knows only http://.
        tls = proxy.startswith("https://")
        super().__init__(proxy="http://" + proxy.removeprefix("https://") if tls else proxy)
        if tls:
            # The system's certificates (or SSL_CERT_FILE): where an operator puts their own CA.
            self._connector_init["proxy_ssl"] = ssl.create_default_context()

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> TelegramType:
        from aiohttp_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError

        try:
            return await super().make_request(bot, method, timeout)
        except (ProxyConnectionError, ProxyError, ProxyTimeoutError) as exc:
            message = f"{type(exc).__name__}: {exc}"
            raise TelegramNetworkError(method=method, message=message) from exc


def telegram_session(settings: Settings) -> AiohttpSession:
    if settings.telegram_proxy is None:
        return AiohttpSession()
    return ProxiedSession(settings.telegram_proxy.get_secret_value())


async def first_contact(bot: Bot, settings: Settings) -> str | None:
    """getMe once, without retries: None when it answers, else one line saying what failed."""
    api = settings.telegram_api_url or TELEGRAM
    through = f" through the proxy {settings.proxy_address}" if settings.telegram_proxy else ""
    try:
        await bot.session.make_request(bot, GetMe(), timeout=FIRST_CONTACT_TIMEOUT)
    except TelegramNetworkError as exc:
        return f"Cannot reach the Bot API at {api}{through}: {_one_line(exc.message)}"
    except TelegramAPIError as exc:
        return f"The Bot API at {api}{through} refused getMe: {_one_line(exc.message)}"
    finally:
        await bot.session.close()
    return None


def _one_line(text: str) -> str:
    return " ".join(text.split())
