"""Staff: /invite, /revoke and /rebind one person, by name, within their scope.

Only a whole name is acted on; a part of one offers choices. Whatever would void an invitation or
unlink an account is first shown on a card to confirm (handlers.confirm).
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import new_card, spend_card
from handlers.confirm import ConfirmCallback, ask_to_confirm, on_confirm, perform
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.errors import BadInput, NotFound
from services.i18n_marks import N_
from services.invitations import PersonMatch, StaffAction, find_people, plan_staff_action
from services.people import ROW_ID_MAX


class PersonCallback(CallbackData, prefix="inv"):
    action: StaffAction
    # Bounded like the column, so a forged id is an expired button, not a database error.
    person_id: int = Field(ge=1, le=ROW_ID_MAX)
    card: int = Field(ge=1, le=ROW_ID_MAX)


USAGE = {
    StaffAction.invite: N_("Send /invite and the person's name, e.g. /invite 王建国"),
    StaffAction.revoke: N_("Send /revoke and the person's name, e.g. /revoke 王建国"),
    StaffAction.rebind: N_("Send /rebind and the person's name, e.g. /rebind 王建国"),
}


# One handler, registered once per command so that each has its own permission entry.
async def cmd_person(
    message: Message,
    command: CommandObject,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
    state: FSMContext,
) -> None:
    action = StaffAction[command.command]
    name = (command.args or "").strip()
    if not name:
        raise BadInput(USAGE[action])
    matches = await find_people(session=session, name=name, scope=actor.scope)
    if not matches:
        # Cut, so that the echo of a long argument still fits one message.
        raise NotFound(N_("No one called {name} in your delegations."), name=name[:64])
    exact = [match for match in matches if match.exact]
    if len(exact) == 1:
        await _resolve(
            action, exact[0].person_id, message.chat.id, session, actor, bot, i18n, settings, state
        )
        return
    question = _("Several people match. Whom do you mean?")
    if not exact:
        question = _("No one is called exactly that. Whom do you mean?")
    markup = await new_card(state, lambda card: _choices(action, matches, card))
    await message.answer(question, reply_markup=markup)


async def on_person_chosen(
    query: CallbackQuery,
    callback_data: PersonCallback,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
    state: FSMContext,
) -> None:
    await spend_card(state, callback_data.card, query, bot)
    await _resolve(
        callback_data.action,
        callback_data.person_id,
        query.from_user.id,
        session,
        actor,
        bot,
        i18n,
        settings,
        state,
    )


async def _resolve(
    action: StaffAction,
    person_id: int,
    chat_id: int,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    i18n: I18n,
    settings: Settings,
    state: FSMContext,
) -> None:
    """Acts at once when nothing would be lost, otherwise asks first."""
    plan = await plan_staff_action(
        session=session, action=action, person_id=person_id, actor=actor, now=utcnow()
    )
    if plan.needs_confirmation:
        await ask_to_confirm(plan, chat_id, bot, settings, state=state)
    else:
        await perform(plan, chat_id, session, actor, bot, i18n, settings)


def _choices(action: StaffAction, matches: list[PersonMatch], card: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for match in matches:
        # Staff and admins found by an admin may have no delegation: no separator then.
        parts = [match.name, _(", ").join(match.delegations)] if match.delegations else [match.name]
        builder.button(
            text=" · ".join(parts)[:60],
            callback_data=PersonCallback(action=action, person_id=match.person_id, card=card),
        )
    builder.adjust(1)
    return builder.as_markup()


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_person, Command("invite"))
    router.message.register(cmd_person, Command("revoke"))
    router.message.register(cmd_person, Command("rebind"))
    router.callback_query.register(on_person_chosen, PersonCallback.filter())
    router.callback_query.register(on_confirm, ConfirmCallback.filter())
    return router
