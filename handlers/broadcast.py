"""/broadcast for staff: the message, the audience, a preview with the count, then send now or
at a set time. What is sent is the content stored at confirm time, never the chat message."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
)
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers import broadcast_control
from handlers.audience_keyboard import BROADCAST_FLOW, AudiencePick, Press, chosen, show_chooser
from handlers.broadcast_render import send_preview, when_text
from handlers.cards import Slot, new_card, spend_card
from services.actors import Actor
from services.audience import Count, count_audience, require_recipients, resolve
from services.broadcasts.content import BroadcastContent, checked, from_data, to_data
from services.broadcasts.create import create_broadcast, new_token
from services.broadcasts.when import USAGE, parse_send_time
from services.clock import utcnow
from services.config import Settings
from services.deliveries.model import DocumentContent, PhotoContent, TextContent
from services.errors import BadInput, StaleButton
from services.i18n_marks import N_
from services.people import ROW_ID_MAX

STEP = {"action": "broadcast_step"}
NOTHING_CHOSEN = N_("Choose who should receive it first: everyone, or at least one entry.")
_CONTENT = "broadcast_content"
_TOKEN = "broadcast_token"  # noqa: S105 - a key of the dialog data, not a secret
_SEND_AT = "broadcast_send_at"


class BroadcastFlow(StatesGroup):
    content = State()
    audience = State()
    when = State()
    confirm = State()


class Answer(IntEnum):
    drop = 0
    now = 1
    later = 2
    at_time = 3


class BroadcastCard(CallbackData, prefix="bcok"):
    card: int = Field(ge=1, le=ROW_ID_MAX)
    answer: Answer


async def cmd_broadcast(message: Message, state: FSMContext) -> None:
    # Its own keys only: an open /log or concern draft of the same chat stays (handlers.dialogs).
    await state.update_data({_CONTENT: None, _TOKEN: None, _SEND_AT: None})
    await state.set_state(BroadcastFlow.content)
    await message.answer(
        _(
            "Send the message to broadcast: a text (formatting is kept), a photo or a document, "
            "with a caption if you like. /cancel to stop."
        )
    )


async def on_content(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    content = checked(_content_of(message))
    await state.update_data({_CONTENT: to_data(content)})
    await state.set_state(BroadcastFlow.audience)
    await show_chooser(
        bot, message.chat.id, state=state, session=session, actor=actor, flow=BROADCAST_FLOW
    )


def _content_of(message: Message) -> BroadcastContent | None:
    if message.text is not None:
        return TextContent(text=message.text, entities=_entities(message.entities))
    caption, entities = message.caption, _entities(message.caption_entities)
    if message.photo:
        # Telegram lists a photo's sizes smallest first.
        return PhotoContent(message.photo[-1].file_id, caption, entities)
    if message.document is not None:
        return DocumentContent(message.document.file_id, caption, entities)
    return None


def _entities(entities: list[MessageEntity] | None) -> tuple[dict[str, Any], ...]:
    return tuple(e.model_dump(mode="json", exclude_none=True) for e in entities or ())


async def on_audience_done(
    query: CallbackQuery, state: FSMContext, session: AsyncSession, actor: Actor, bot: Bot
) -> None:
    if await state.get_state() != BroadcastFlow.audience.state:
        raise StaleButton()
    count = await _count(state, session, actor)
    content = from_data((await state.get_data()).get(_CONTENT))
    if content is None:
        raise StaleButton()
    await query.answer()
    chat_id = query.from_user.id
    if query.message is not None:
        await bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=query.message.message_id, reply_markup=None
        )
    await state.update_data({_TOKEN: new_token(), _SEND_AT: None})
    await state.set_state(BroadcastFlow.confirm)
    await send_preview(bot, chat_id, content)
    question = _("Above is the message as it will arrive. Send it to {count} people?")
    text = question.format(count=count.reachable)
    await _card(bot, chat_id, state, text, count, (Answer.now, Answer.later, Answer.drop))


async def _count(state: FSMContext, session: AsyncSession, actor: Actor) -> Count:
    choice = await chosen(state)
    if choice.empty:
        raise BadInput(NOTHING_CHOSEN)
    audience = await resolve(session=session, scope=actor.scope, choice=choice)
    return require_recipients(await count_audience(session=session, audience=audience))


async def _card(
    bot: Bot,
    chat_id: int,
    state: FSMContext,
    text: str,
    count: Count,
    answers: tuple[Answer, ...],
) -> None:
    if count.without_account:
        text += "\n" + _("{count} more have no Telegram account and will not get it.").format(
            count=count.without_account
        )
    labels = {
        Answer.now: _("Send now"),
        Answer.later: _("Send later…"),
        Answer.at_time: _("Confirm"),
        Answer.drop: _("Cancel"),
    }

    def build(card: int) -> InlineKeyboardMarkup:
        row = [
            InlineKeyboardButton(
                text=labels[a], callback_data=BroadcastCard(card=card, answer=a).pack()
            )
            for a in answers
        ]
        return InlineKeyboardMarkup(inline_keyboard=[row])

    await bot.send_message(
        chat_id, text, reply_markup=await new_card(state, build, slot=Slot.broadcast)
    )


async def on_card(
    query: CallbackQuery,
    callback_data: BroadcastCard,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
    settings: Settings,
) -> None:
    await spend_card(state, callback_data.card, query, bot, slot=Slot.broadcast)
    chat_id = query.from_user.id
    answer = callback_data.answer
    if answer is Answer.drop:
        await _end(state)
        await bot.send_message(chat_id, _("Cancelled. Nothing was sent."))
        return
    if answer is Answer.later:
        await state.set_state(BroadcastFlow.when)
        await bot.send_message(chat_id, _(USAGE))
        return
    data = await state.get_data()
    if not data.get(_TOKEN):
        raise StaleButton()
    send_at = datetime.fromisoformat(data[_SEND_AT]) if answer is Answer.at_time else None
    broadcast, _created = await create_broadcast(
        session=session,
        actor=actor,
        token=str(data[_TOKEN]),
        content=from_data(data.get(_CONTENT)),
        choice=await chosen(state),
        send_at=send_at,
        now=utcnow(),
    )
    await _end(state)
    if send_at is None:
        text = _("Broadcast #{id} is on its way. Its progress message follows.")
    else:
        text = _("Broadcast #{id} will start at {when}. Its progress message follows.")
    when = when_text(send_at, settings.tz, actor.locale) if send_at else ""
    await bot.send_message(chat_id, text.format(id=broadcast.id, when=when))


async def _end(state: FSMContext) -> None:
    """The dialog ends; the spent card's mark stays, so that a second press says so."""
    await state.set_state(None)
    await state.update_data({_CONTENT: None, _TOKEN: None, _SEND_AT: None})


async def on_send_time(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    send_at = parse_send_time(message.text or "", now=utcnow(), tz=settings.tz)
    count = await _count(state, session, actor)
    await state.update_data({_SEND_AT: send_at.isoformat()})
    await state.set_state(BroadcastFlow.confirm)
    text = _("Send it to {count} people at {when}?").format(
        count=count.reachable, when=when_text(send_at, settings.tz, actor.locale)
    )
    await _card(bot, message.chat.id, state, text, count, (Answer.at_time, Answer.drop))


async def on_wrong_time(message: Message) -> None:
    raise BadInput(USAGE)


def build_router() -> Router:
    router = Router(name=__name__)
    not_command = ~F.text.startswith("/")
    router.message.register(cmd_broadcast, Command("broadcast"))
    router.message.register(on_content, BroadcastFlow.content, not_command, flags=STEP)
    router.message.register(on_send_time, BroadcastFlow.when, F.text, not_command, flags=STEP)
    router.message.register(on_wrong_time, BroadcastFlow.when, not_command, flags=STEP)
    done = AudiencePick.filter((F.flow == BROADCAST_FLOW) & (F.press == Press.done))
    router.callback_query.register(on_audience_done, done)
    router.callback_query.register(on_card, BroadcastCard.filter())
    broadcast_control.register(router)
    return router
