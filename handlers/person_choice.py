"""A person a staff member names in a command (/invite, /activities, /record …): the one person in
their scope called exactly that, or else a card of the people who match, to choose from."""

from __future__ import annotations

from collections.abc import Callable

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.cancel import cancel_button
from handlers.cards import Slot, new_card
from services.actors import Actor
from services.errors import NotFound
from services.i18n_marks import N_
from services.invitations import PersonMatch, find_people

NO_ONE_CALLED = N_("No one called {name} in your delegations.")


async def named_person(
    message: Message,
    name: str,
    *,
    session: AsyncSession,
    actor: Actor,
    state: FSMContext,
    button: Callable[[PersonMatch, int], CallbackData],
    cancel: bool = False,
) -> int | None:
    """The id of the one person in scope called exactly `name`; otherwise None, once a card of
    the matches has been sent (each button made by `button(match, card)`). No one in scope at
    all is NotFound, worded alike whoever exists outside it."""
    matches = await find_people(session=session, name=name, scope=actor.scope)
    if not matches:
        # Cut, so that the echo of a long argument still fits one message.
        raise NotFound(NO_ONE_CALLED, name=name[:64])
    exact = [match for match in matches if match.exact]
    if len(exact) == 1:
        return exact[0].person_id
    question = _("Several people match. Whom do you mean?")
    if not exact:
        question = _("No one is called exactly that. Whom do you mean?")
    markup = await new_card(
        state, lambda card: _choices(matches, card, button, cancel), slot=Slot.staff
    )
    await message.answer(question, reply_markup=markup)
    return None


def _choices(
    matches: list[PersonMatch],
    card: int,
    button: Callable[[PersonMatch, int], CallbackData],
    cancel: bool,
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for match in matches:
        # Staff and admins found by an admin may have no delegation: no separator then.
        parts = [match.name, _(", ").join(match.delegations)] if match.delegations else [match.name]
        builder.button(text=" · ".join(parts)[:60], callback_data=button(match, card))
    builder.adjust(1)
    if cancel:
        builder.row(cancel_button())
    return builder.as_markup()
