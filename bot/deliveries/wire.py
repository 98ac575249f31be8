"""Deliveries' way to the Bot API: each call's form prepared once for every recipient, posted
through the bot's own aiohttp session, its answer read for `ok` alone.

A broadcast sends one message to thousands of chats. Through aiogram each would be built as a
pydantic method, turned into a form, posted, and its answer validated into a `Message` that
the sender never reads: about half of a message's cost to the bot at paid-broadcast rates. Here
the form (the same fields aiogram sends, from aiogram's own `prepare_value`, urlencoded as
aiohttp does) is made once per call and only `chat_id` differs per recipient; the request goes
to the session's API server (`TELEGRAM_API_URL`) through its connector (`TELEGRAM_PROXY`) with
its timeout, and takes its slot from the token's budget (bot.budget) like every other call. An
answer that is not `ok` is handed to aiogram's `check_response`, so 429, 403, 400 and 5xx raise
the exceptions they raise everywhere else, and network failures are wrapped as aiogram does.

Where that is not possible (a session that is not aiohttp's, other middlewares on it, replies
being held) the calls go through aiogram as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiohttp import ClientError, ClientTimeout

from bot.budget import BudgetMiddleware
from bot.budget_rules import Target, target_of
from bot.outbox import HoldRepliesMiddleware
from services.outbox import current_hold

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CHAT = "chat_id"
# How an accepted call's answer begins: Telegram's compact JSON, or with spaces (aiohttp's
# json_response, which the emulator uses).
ACCEPTED = (b'{"ok":true,', b'{"ok": true,')


@dataclass(frozen=True, slots=True)
class Call:
    """One call of a delivery, made for one chat and good for any other: only `chat_id`
    differs. `form` holds its other fields, urlencoded ("" when sent through aiogram)."""

    method: TelegramMethod[Any]
    target: Target | None
    form: str = ""

    def to(self, chat_id: int) -> TelegramMethod[Any]:
        """aiogram's method for `chat_id`."""
        if getattr(self.method, CHAT, None) == chat_id:
            return self.method
        return self.method.model_copy(update={CHAT: chat_id})

    def target_for(self, chat_id: int) -> Target | None:
        target = self.target
        if target is None or target.chat == chat_id:
            return target
        return Target(chat_id, group=chat_id < 0, weight=target.weight, new=target.new)


class Wire:
    """Sends `Call`s for `bot`: posted directly when its session allows, else through aiogram."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        session, budget = bot.session, _budget_of(bot)
        self._session = session if isinstance(session, AiohttpSession) else None
        self._budget = budget
        self._urls: dict[str, str] = {}
        self._timeout = ClientTimeout(total=float(session.timeout))
        self._failures: tuple[type[BaseException], ...] = (ClientError, *_proxy_errors())

    @property
    def direct(self) -> bool:
        return self._session is not None and self._budget is not None

    def prepare(self, method: TelegramMethod[Any]) -> Call:
        target = target_of(method)
        if not self.direct or not isinstance(getattr(method, CHAT, None), int):
            return Call(method, target)
        files: dict[str, Any] = {}
        fields = []
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.bot.session.prepare_value(value, bot=self.bot, files=files)
            if prepared and key != CHAT:
                fields.append((key, prepared))
        if files:
            return Call(method, target)
        return Call(method, target, urlencode(fields, doseq=True))

    async def send(self, call: Call, chat_id: int) -> None:
        """Send `call` to `chat_id`; raises what aiogram raises for the same answer."""
        session, budget = self._session, self._budget
        if session is None or budget is None or not call.form or current_hold() is not None:
            await self.bot(call.to(chat_id))
            return
        body = f"{CHAT}={chat_id}&{call.form}".encode()

        async def post() -> None:
            await self._post(session, call, chat_id, body)

        await budget.send(
            self.bot,
            call.target_for(chat_id),
            post,
            name=type(call.method).__name__,
            method=lambda: call.to(chat_id),
        )

    async def _post(self, session: AiohttpSession, call: Call, chat_id: int, body: bytes) -> None:
        name = call.method.__api_method__
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = session.api.api_url(token=self.bot.token, method=name)
        client = await session.create_session()
        try:
            async with client.post(url, data=body, headers=FORM, timeout=self._timeout) as resp:
                status, raw = resp.status, await resp.read()
        except TimeoutError as exc:
            raise TelegramNetworkError(call.to(chat_id), "Request timeout error") from exc
        except self._failures as exc:
            message = f"{type(exc).__name__}: {exc}"
            raise TelegramNetworkError(call.to(chat_id), message) from exc
        if not (200 <= status <= 226 and _ok(session, raw)):
            # Raises the exception aiogram would (429, 403, 400, 5xx…) from the whole answer.
            session.check_response(self.bot, call.to(chat_id), status, raw.decode(errors="replace"))


def _ok(session: AiohttpSession, raw: bytes) -> bool:
    if raw.startswith(ACCEPTED):
        # The message that follows is of no use to the sender: not parsed.
        return True
    try:
        answer = session.json_loads(raw)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("ok") is True


def _budget_of(bot: Bot) -> BudgetMiddleware | None:
    """The session's budget, when it and held replies are all that sit on the session."""
    middlewares = list(bot.session.middleware)
    budgets = [m for m in middlewares if isinstance(m, BudgetMiddleware)]
    others = [m for m in middlewares if not isinstance(m, BudgetMiddleware | HoldRepliesMiddleware)]
    return budgets[0] if len(budgets) == 1 and not others else None


def _proxy_errors() -> tuple[type[BaseException], ...]:
    """What aiohttp-socks raises when the proxy fails (bot.connection.ProxiedSession)."""
    from aiohttp_socks import ProxyConnectionError, ProxyError, ProxyTimeoutError

    return (ProxyConnectionError, ProxyError, ProxyTimeoutError)
