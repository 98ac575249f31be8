"""/reminders: a representative's own reminder settings — each kind on or off, its time, quiet
hours, muted until a date, unavailable until a date. Every change is the presser's own: the
buttons carry no person, so a forged one can only reach the presser's settings."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.reminders_render import (
    KIND_NAMES,
    RemAction,
    RemCallback,
    card_keyboard,
    card_text,
    times_keyboard,
)
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import local_today
from services.errors import NotFound, StaleButton
from services.scheduling import preferences as prefs
from services.scheduling.inputs import parse_quiet, parse_time, parse_until
from services.scheduling.preferences import DEFAULTS, ReminderKind

STEP = {"action": "reminders_step"}
TYPED = F.text & ~F.text.startswith("/")
KIND = "reminder_kind"


class ReminderInput(StatesGroup):
    time = State()
    quiet = State()
    mute = State()
    away = State()


def _person(actor: Actor) -> int:
    if actor.person_id is None:
        raise NotFound()
    return actor.person_id


async def cmd_reminders(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    choices = await prefs.person_reminders(
        session=session, person_id=_person(actor), settings=settings
    )
    await message.answer(card_text(choices, actor.locale), reply_markup=card_keyboard(choices))


async def on_button(
    query: CallbackQuery,
    callback_data: RemCallback,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    state: FSMContext,
    bot: Bot,
) -> None:
    person_id, action, kind = _person(actor), callback_data.action, callback_data.kind
    if action in (RemAction.toggle, RemAction.time_of) and kind is None:
        raise StaleButton()
    if action == RemAction.time_of and kind is not None and DEFAULTS[kind].at is None:
        raise StaleButton()
    chat_id = query.from_user.id
    asks = {
        RemAction.quiet: (ReminderInput.quiet, _("Send your quiet hours, like 22:00-07:30.")),
        RemAction.mute: (ReminderInput.mute, _("Until which date (inclusive)? Like 2024-04-01.")),
        "away": (
            ReminderInput.away,
            _("Unavailable until which date (inclusive)? Like 2024-04-01."),
        ),
    }
    await query.answer()
    if action == RemAction.times:
        await bot.send_message(chat_id, _("Which reminder's time?"), reply_markup=times_keyboard())
        return
    if action == RemAction.time_of and kind is not None:
        await state.set_state(ReminderInput.time)
        await state.update_data({KIND: kind.value})
        ask = _("Send the new time for “{kind}”, like 19:30.").format(kind=KIND_NAMES[kind])
        await bot.send_message(chat_id, ask)
        return
    if action in asks:
        step, ask = asks[action]
        await state.set_state(step)
        await bot.send_message(chat_id, ask)
        return
    if action == RemAction.toggle and kind is not None:
        choices = await prefs.toggle_kind(
            session=session, person_id=person_id, kind=kind, settings=settings
        )
    else:
        field = "muted_until" if action == RemAction.unmute else "unavailable_until"
        choices = await prefs.set_until(
            session=session, person_id=person_id, field=field, until=None, settings=settings
        )
    if query.message is not None:
        await bot.edit_message_text(
            text=card_text(choices, actor.locale),
            chat_id=chat_id,
            message_id=query.message.message_id,
            reply_markup=card_keyboard(choices),
        )


async def on_typed(
    message: Message,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    state: FSMContext,
) -> None:
    person_id, text = _person(actor), message.text or ""
    step = await state.get_state()
    if step == ReminderInput.time.state:
        kind = ReminderKind((await state.get_data())[KIND])
        at = parse_time(text)
        choices = await prefs.set_kind_time(
            session=session, person_id=person_id, kind=kind, at=at, settings=settings
        )
    elif step == ReminderInput.quiet.state:
        choices = await prefs.set_quiet_hours(
            session=session, person_id=person_id, quiet=parse_quiet(text), settings=settings
        )
    else:
        until = parse_until(text, today=local_today(utcnow(), settings.tz))
        field = "muted_until" if step == ReminderInput.mute.state else "unavailable_until"
        choices = await prefs.set_until(
            session=session, person_id=person_id, field=field, until=until, settings=settings
        )
    await state.set_state(None)
    await state.update_data({KIND: None})
    await message.answer(_("Saved."))
    await message.answer(card_text(choices, actor.locale), reply_markup=card_keyboard(choices))


def build_router() -> Router:
    router = Router(name=__name__)
    router.message.register(cmd_reminders, Command("reminders"))
    router.callback_query.register(on_button, RemCallback.filter())
    router.message.register(on_typed, StateFilter(ReminderInput), TYPED, flags=STEP)
    return router
