"""Accepting an invitation: `/start <token>` from the deep link, or the typed 8-character code."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import CommandObject, CommandStart, StateFilter
from aiogram.types import Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.menu import set_chat_menu
from handlers.start import help_text
from services.actors import resolve_actor
from services.clock import utcnow
from services.config import Settings
from services.invitations import redeem_code, redeem_token
from services.invitations.tokens import normalise_code
from services.people import Person, adopt_chat_preference
from services.text import esc


def _as_code(text: str | None) -> str | None:
    """The invitation code in what was typed (full-width, spaced or dashed), or None."""
    return normalise_code(text or "")


def typing_a_code(message: Message) -> bool:
    """Anyone may paste a code: someone already linked gets the same answer as `/start CODE`
    (welcome back, or which entry their account is linked to) instead of "not understood"."""
    return _as_code(message.text) is not None


async def cmd_start_invitation(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
) -> None:
    payload = (command.args or "").strip()
    user_id = message.chat.id
    # A wrong code's failure count is committed by redeem_code itself, before it raises.
    code = _as_code(payload)
    if code is not None:
        person = await redeem_code(session=session, code=code, telegram_id=user_id, now=utcnow())
    else:
        person = await redeem_token(
            session=session, token=payload, telegram_id=user_id, now=utcnow()
        )
    await _welcome(message, person, session, bot, i18n, settings)


async def on_invite_code(
    message: Message, session: AsyncSession, bot: Bot, i18n: I18n, settings: Settings
) -> None:
    code = _as_code(message.text) or ""
    person = await redeem_code(
        session=session, code=code, telegram_id=message.chat.id, now=utcnow()
    )
    await _welcome(message, person, session, bot, i18n, settings)


async def _welcome(
    message: Message,
    person: Person,
    session: AsyncSession,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
) -> None:
    await adopt_chat_preference(session=session, person=person)
    language_code = message.from_user.language_code if message.from_user else None
    actor = await resolve_actor(
        session=session, telegram_id=message.chat.id, language_code=language_code, settings=settings
    )
    with i18n.use_locale(actor.locale):
        greeting = _("Welcome, {name}! Your Telegram account is now linked to the roster.").format(
            name=f"<b>{esc(person.name)}</b>"
        )
        await message.answer(greeting + "\n\n" + help_text(actor))
    await set_chat_menu(bot, i18n, actor)


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_start_invitation, CommandStart(deep_link=True))
    # Not in the middle of a dialog, where eight letters may be an answer to a question.
    router.message.register(
        on_invite_code,
        F.text,
        typing_a_code,
        StateFilter(None),
        flags={"action": "invite_code"},
    )
    return router
