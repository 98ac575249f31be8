"""Staff: /invite, /revoke and /rebind one person, by name, within their scope.

Only a whole name is acted on; a part of one offers choices. Whatever would void an invitation or
unlink an account is first shown on a card to confirm (handlers.confirm).
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import I18n
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cards import Slot, spend_card
from handlers.confirm import ConfirmCallback, ask_to_confirm, on_confirm, perform
from handlers.person_choice import named_person
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.errors import BadInput
from services.i18n_marks import N_
from services.invitations import StaffAction, plan_staff_action
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
    person_id = await named_person(
        message,
        name,
        session=session,
        actor=actor,
        state=state,
        button=lambda match, card: PersonCallback(
            action=action, person_id=match.person_id, card=card
        ),
    )
    if person_id is not None:
        await _resolve(
            action, person_id, message.chat.id, session, actor, bot, i18n, settings, state
        )


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
    await spend_card(state, callback_data.card, query, bot, slot=Slot.staff)
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


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_person, Command("invite"))
    router.message.register(cmd_person, Command("revoke"))
    router.message.register(cmd_person, Command("rebind"))
    router.callback_query.register(on_person_chosen, PersonCallback.filter())
    router.callback_query.register(on_confirm, ConfirmCallback.filter())
    return router
