"""Bot API methods that deliver updates: getUpdates and the webhook trio."""

from __future__ import annotations

import re

from bot.emulator.call import Call, Handler
from bot.emulator.errors import WEBHOOK_CONFLICT, ApiError, JsonDict, bad_request
from bot.emulator.files import is_loopback_url
from bot.emulator.state import WebhookConfig
from bot.emulator.webhook import WebhookPusher

_SECRET_RE = re.compile(r"[A-Za-z0-9_-]{1,256}\Z")


def _store_allowed_updates(call: Call) -> None:
    allowed = call.params.json("allowed_updates")
    if allowed is None:
        return
    if not isinstance(allowed, list) or not all(isinstance(kind, str) for kind in allowed):
        raise bad_request("can't parse allowed_updates JSON object")
    call.bot.updates.allowed_updates = list(allowed)


async def get_updates(call: Call) -> list[JsonDict]:
    params = call.params
    if call.bot.webhook is not None:
        raise ApiError(409, WEBHOOK_CONFLICT)
    limit = min(max(params.opt_integer("limit") or 100, 1), 100)
    wait = min(max(params.opt_integer("timeout") or 0, 0), call.state.settings.max_long_poll)
    _store_allowed_updates(call)
    return await call.bot.updates.poll(
        offset=params.opt_integer("offset"), limit=limit, wait_seconds=wait
    )


async def _remove_webhook(call: Call) -> bool:
    bot = call.bot
    if call.params.flag("drop_pending_updates"):
        bot.updates.drop_all()
    bot.webhook = None
    if bot.pusher is not None:
        pusher, bot.pusher = bot.pusher, None
        await pusher.stop()
    return True


async def set_webhook(call: Call) -> bool:
    params = call.params
    url = params.opt_string("url") or ""
    if not url:
        return await _remove_webhook(call)
    # The emulator has no TLS and reaches nothing beyond this machine, so it takes plain
    # http:// too but only towards loopback addresses.
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if not is_loopback_url(url):
        raise bad_request("bad webhook: the emulator delivers to loopback addresses only")
    secret = params.opt_string("secret_token")
    if secret is not None and not _SECRET_RE.match(secret):
        raise bad_request("bad webhook: secret token contains unallowed characters")
    max_connections = params.opt_integer("max_connections") or 40
    if not 1 <= max_connections <= 100:
        raise bad_request("bad webhook: max_connections must be between 1 and 100")
    _store_allowed_updates(call)
    bot = call.bot
    if params.flag("drop_pending_updates"):
        bot.updates.drop_all()
    bot.webhook = WebhookConfig(url, secret, max_connections)
    if bot.pusher is None:
        bot.pusher = WebhookPusher(bot, call.state.settings, call.on_webhook_reply)
        bot.pusher.start()
    return True


async def delete_webhook(call: Call) -> bool:
    return await _remove_webhook(call)


async def get_webhook_info(call: Call) -> JsonDict:
    bot = call.bot
    info: JsonDict = {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": bot.updates.pending_count,
    }
    config = bot.webhook
    if config is None:
        return info
    info |= {
        "url": config.url,
        "ip_address": "127.0.0.1",
        "max_connections": config.max_connections,
    }
    if config.last_error_date is not None:
        info["last_error_date"] = config.last_error_date
        info["last_error_message"] = config.last_error_message
    if bot.updates.allowed_updates:
        info["allowed_updates"] = list(bot.updates.allowed_updates)
    return info


METHODS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
