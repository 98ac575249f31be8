"""Staff: /invite, /revoke and /rebind one person, by name, within their scope."""

from __future__ import annotations

from enum import IntEnum

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.errors import BadInput, NotFound
from services.i18n_marks import N_
from services.invitations import (
    IssuedInvitation,
    PersonMatch,
    find_people,
    issue_invitation,
    person_for_staff_action,
    qr_png,
    rebind,
    revoke_invitations,
)
from services.outbox import sending_now
from services.people import ROW_ID_MAX
from services.permissions import Role
from services.text import esc


class PersonAction(IntEnum):
    invite = 1
    revoke = 2
    rebind = 3


class PersonCallback(CallbackData, prefix="inv"):
    action: PersonAction
    # Bounded like the column, so a forged id is an expired button, not a database error.
    person_id: int = Field(ge=1, le=ROW_ID_MAX)


USAGE = {
    PersonAction.invite: N_("Send /invite and the person's name, e.g. /invite 王建国"),
    PersonAction.revoke: N_("Send /revoke and the person's name, e.g. /revoke 王建国"),
    PersonAction.rebind: N_("Send /rebind and the person's name, e.g. /rebind 王建国"),
}


# One handler, registered once per command so that each has its own permission entry.
async def cmd_person(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    action = PersonAction[command.command]
    await _by_name(action, message, command, session, actor, bot, settings)


async def on_person_chosen(
    query: CallbackQuery,
    callback_data: PersonCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    await query.answer()
    await _perform(
        callback_data.action,
        callback_data.person_id,
        query.from_user.id,
        session,
        actor,
        bot,
        settings,
    )


async def _by_name(
    action: PersonAction,
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    name = (command.args or "").strip()
    if not name:
        raise BadInput(USAGE[action])
    matches = await find_people(session=session, name=name, scope=actor.scope)
    if not matches:
        raise NotFound(N_("No one called {name} in your delegations."), name=name)
    if len(matches) == 1:
        await _perform(action, matches[0].person_id, message.chat.id, session, actor, bot, settings)
        return
    await message.answer(
        _("Several people match. Whom do you mean?"), reply_markup=_choices(action, matches)
    )


def _choices(action: PersonAction, matches: list[PersonMatch]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for match in matches:
        label = f"{match.name} · {_(', ').join(match.delegations)}"
        builder.button(
            text=label[:60], callback_data=PersonCallback(action=action, person_id=match.person_id)
        )
    builder.adjust(1)
    return builder.as_markup()


async def _perform(
    action: PersonAction,
    person_id: int,
    chat_id: int,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    person = await person_for_staff_action(
        session=session,
        person_id=person_id,
        scope=actor.scope,
        is_admin=Role.admin in actor.roles,
    )
    now = utcnow()
    if action is PersonAction.revoke:
        count = await revoke_invitations(
            session=session, person_id=person_id, actor_telegram_id=actor.telegram_id, now=now
        )
        text = _("Revoked {count} unused invitation(s) of {name}.").format(
            count=count, name=esc(person.name)
        )
        await bot.send_message(chat_id, text)
        return
    if action is PersonAction.invite:
        issued = await issue_invitation(
            session=session,
            person_id=person_id,
            actor_telegram_id=actor.telegram_id,
            now=now,
            ttl_days=settings.invite_ttl_days,
        )
        intro = _("A new invitation for {name}:").format(name=esc(person.name))
    else:
        issued = await rebind(
            session=session,
            person_id=person_id,
            actor_telegram_id=actor.telegram_id,
            now=now,
            ttl_days=settings.invite_ttl_days,
        )
        intro = _("{name} was unlinked from their Telegram account. A new invitation:").format(
            name=esc(person.name)
        )
    # The message carries the token in clear, which is stored nowhere: commit the invitation, then
    # send it directly rather than through the saved answers.
    await session.commit()
    with sending_now():
        await _send_invitation(bot, chat_id, intro, issued, settings)


async def _send_invitation(
    bot: Bot, chat_id: int, intro: str, issued: IssuedInvitation, settings: Settings
) -> None:
    me = await bot.me()
    link = issued.link(me.username or settings.bot_username or "")
    expires = issued.expires_at.astimezone(settings.tz).date().isoformat()
    lines = [
        intro,
        _("Link: {link}").format(link=esc(link)),
        _("Code: <code>{code}</code>").format(code=esc(issued.printed_code)),
        _("Valid until {date}. It works once; issuing a new one cancels this one.").format(
            date=expires
        ),
    ]
    await bot.send_message(chat_id, "\n".join(lines))
    photo = BufferedInputFile(qr_png(link), filename=f"invitation-{issued.person_id}.png")
    await bot.send_photo(chat_id, photo, caption=esc(issued.name))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_person, Command("invite"))
    router.message.register(cmd_person, Command("revoke"))
    router.message.register(cmd_person, Command("rebind"))
    router.callback_query.register(on_person_chosen, PersonCallback.filter())
    return router
