"""The one error handler: domain errors in the user's language, anything else with a reference."""

from __future__ import annotations

import html
import logging
import secrets
from typing import Any

from aiogram import Router
from aiogram.types import ErrorEvent, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from services.actors import Actor
from services.config import Settings
from services.errors import DomainError
from services.logs import log_context
from services.text import esc

log = logging.getLogger(__name__)
# The most of a user's value an error answer repeats.
ECHO_LIMIT = 200


async def on_error(event: ErrorEvent, i18n: I18n, settings: Settings, **data: Any) -> bool:
    actor: Actor | None = data.get("actor")
    user = data.get("event_from_user")
    locale = actor.locale if actor is not None else _guess_locale(user, settings)
    with log_context(update_id=event.update.update_id, user_id=user.id if user else None):
        with i18n.context(), i18n.use_locale(locale):
            text = _describe(event.exception)
        await _tell(event, text)
    return True


def _guess_locale(user: User | None, settings: Settings) -> str:
    """The error came before the actor was known (the database may be down): go by Telegram."""
    if user is not None and (user.language_code or "").startswith("zh"):
        return "zh"
    return "en" if user is not None and user.language_code else settings.default_locale.value


def _describe(exception: Exception) -> str:
    if isinstance(exception, DomainError):
        log.info("domain error %s", type(exception).__name__)
        # Parameters are user-supplied values more often than not: cut, so that the answer fits
        # one message whatever was sent, and escaped here, once.
        params = {key: esc(_cut(str(value))) for key, value in exception.params.items()}
        return _(exception.message).format(**params)
    ref = secrets.token_hex(2).upper()
    log.error("unexpected error", exc_info=exception, extra={"ref": ref})
    return _("Something went wrong (ref {ref}). Please try again later.").format(ref=ref)


def _cut(value: str) -> str:
    return value if len(value) <= ECHO_LIMIT else value[: ECHO_LIMIT - 1] + "…"


async def _tell(event: ErrorEvent, text: str) -> None:
    update = event.update
    try:
        if update.callback_query is not None:
            # An alert is plain text: the escaping meant for HTML messages would show.
            await update.callback_query.answer(html.unescape(text)[:200], show_alert=True)
        elif update.message is not None:
            await update.message.answer(text)
    except Exception:
        log.warning("could not tell the user about an error", exc_info=True)


def build_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(on_error)
    return router
