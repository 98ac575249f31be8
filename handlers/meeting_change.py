"""Changing a meeting from its card: the time or the place (a new location shared, or none),
or cancelling it, each confirmed on a card that names the meeting. The confirmation carries the
meeting's version and what it changes, so an old card (or a second press) after a change does
nothing; every member is told, and the reminders of the old time are cancelled (services)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.history_render import edit_in_place
from handlers.meeting_card import (
    CHANGES,
    Act,
    MeetingCard,
    MeetingOpen,
    send_calendar_file,
    show_card,
)
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.errors import BadInput, StaleButton
from services.i18n_marks import N_
from services.meetings.access import managed_meeting
from services.meetings.changes import Change, cancel_meeting, move_meeting
from services.meetings.model import Meeting
from services.meetings.publish import check_place
from services.meetings.replies import ensure_open
from services.meetings.templates import when_text
from services.meetings.when import USAGE, When, parse_when
from services.people import ROW_ID_MAX
from services.text import esc

EDIT_STEP = {"action": "meeting_step"}
_CHANGE = "meeting_change"
VERSION_MAX = 1_000_000


class MeetingChange(CallbackData, prefix="mchg"):
    meeting_id: int = Field(ge=1, le=ROW_ID_MAX)
    version: int = Field(ge=1, le=VERSION_MAX)
    act: Act
    go: bool = False


class MeetingEdit(StatesGroup):
    when = State()
    place = State()
    location = State()


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


async def on_change_asked(
    query: CallbackQuery,
    callback_data: MeetingCard,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    """The card's Change time, Change place or Cancel: the question, or the confirmation."""
    act, meeting_id = callback_data.act, callback_data.meeting_id
    now = utcnow()
    meeting = await managed_meeting(session=session, actor=actor, meeting_id=meeting_id)
    ensure_open(meeting, now)
    await query.answer()
    await state.update_data(
        {_CHANGE: {"meeting_id": meeting.id, "version": meeting.version, "act": int(act)}}
    )
    if act is Act.time:
        await state.set_state(MeetingEdit.when)
        await bot.send_message(query.from_user.id, _("Send the new time. ") + _(USAGE))
    elif act is Act.place:
        await state.set_state(MeetingEdit.place)
        await bot.send_message(query.from_user.id, _("Send the new place as text."))
    else:
        await _confirm(
            bot, query.from_user.id, meeting, settings, actor, change=await _change(state)
        )


async def _change(state: FSMContext) -> dict[str, Any]:
    change = (await state.get_data()).get(_CHANGE)
    if not isinstance(change, dict):
        raise StaleButton()
    return change


async def on_new_time(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    when = parse_when(message.text or "", now=utcnow(), tz=settings.tz)
    change = {
        **await _change(state),
        "starts": when.starts_at.isoformat(),
        "ends": when.ends_at.isoformat(),
    }
    await state.update_data({_CHANGE: change})
    await state.set_state(None)
    meeting = await managed_meeting(
        session=session, actor=actor, meeting_id=int(change["meeting_id"])
    )
    await _confirm(bot, message.chat.id, meeting, settings, actor, change=change)


async def on_new_place(message: Message, state: FSMContext) -> None:
    change = {**await _change(state), "place": check_place(message.text or "")}
    await state.update_data({_CHANGE: change})
    await state.set_state(MeetingEdit.location)
    skip = MeetingChange(
        meeting_id=int(change["meeting_id"]), version=int(change["version"]), act=Act.place
    )
    await message.answer(
        _(
            "Share the new venue's location from Telegram (📎 → Location), or press "
            "“Without location”."
        ),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[[_button(_("Without location"), skip)]]),
    )


async def on_new_location(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    assert message.location is not None  # noqa: S101 - the filter
    change = {
        **await _change(state),
        "lat": message.location.latitude,
        "lon": message.location.longitude,
    }
    await state.update_data({_CHANGE: change})
    await state.set_state(None)
    meeting = await managed_meeting(
        session=session, actor=actor, meeting_id=int(change["meeting_id"])
    )
    await _confirm(bot, message.chat.id, meeting, settings, actor, change=change)


async def _confirm(
    bot: Bot,
    chat_id: int,
    meeting: Meeting,
    settings: Settings,
    actor: Actor,
    *,
    change: dict[str, Any],
) -> None:
    title = f"<b>{esc(meeting.title)}</b>"
    old = when_text(meeting.starts_at, meeting.ends_at, settings.tz, actor.locale)
    act = Act(int(change["act"]))
    if act is Act.cancel:
        text = _("Cancel the meeting {title} ({when})? Every member will be told.").format(
            title=title, when=old
        )
    elif act is Act.time:
        new = when_text(
            datetime.fromisoformat(change["starts"]),
            datetime.fromisoformat(change["ends"]),
            settings.tz,
            actor.locale,
        )
        text = _("Move {title} from {old} to {new}? Every member will be told.").format(
            title=title, old=old, new=new
        )
    else:
        text = _("Move {title} from {old} to {new}? Every member will be told.").format(
            title=title, old=esc(meeting.place), new=esc(change["place"])
        )
    go = MeetingChange(meeting_id=meeting.id or 0, version=meeting.version, act=act, go=True)
    markup = InlineKeyboardMarkup(
        inline_keyboard=[
            [_button(_("Confirm"), go)],
            [_button(_("Back"), MeetingOpen(meeting_id=meeting.id or 0))],
        ]
    )
    await bot.send_message(chat_id, text, reply_markup=markup)


async def on_change(
    query: CallbackQuery,
    callback_data: MeetingChange,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    data = callback_data
    change = await _change(state)
    same = (int(change["meeting_id"]), int(change["version"]), int(change["act"]))
    if same != (data.meeting_id, data.version, int(data.act)):
        raise StaleButton()
    if not data.go:
        # "Without location" on the place step: the confirmation card next.
        if await state.get_state() != MeetingEdit.location.state:
            raise StaleButton()
        await state.set_state(None)
        meeting = await managed_meeting(session=session, actor=actor, meeting_id=data.meeting_id)
        await query.answer()
        await _confirm(bot, query.from_user.id, meeting, settings, actor, change=change)
        return
    now = utcnow()
    if data.act in (Act.time, Act.place):
        needed = "starts" if data.act is Act.time else "place"
        if needed not in change:
            raise StaleButton()
        when = None
        if "starts" in change:
            when = When(
                datetime.fromisoformat(change["starts"]), datetime.fromisoformat(change["ends"])
            )
        meeting = await move_meeting(
            session=session,
            actor=actor,
            meeting_id=data.meeting_id,
            version=data.version,
            change=Change(
                when=when,
                place=change.get("place"),
                latitude=change.get("lat"),
                longitude=change.get("lon"),
            ),
            now=now,
            settings=settings,
        )
        done = _("Changed. Every member is being told, and the reminders follow the new time.")
    else:
        meeting = await cancel_meeting(
            session=session,
            actor=actor,
            meeting_id=data.meeting_id,
            version=data.version,
            now=now,
            settings=settings,
        )
        done = _("Cancelled. Every member is being told; no more reminders go out.")
    await state.update_data({_CHANGE: None})
    await edit_in_place(bot, query, done, None)
    if data.act is not Act.cancel:
        await send_calendar_file(bot, query.from_user.id, session, meeting, settings)
    await show_card(bot, query.from_user.id, session, actor, settings, meeting.id or 0)


async def on_wrong_edit(message: Message) -> None:
    raise BadInput(N_("Please answer the question above in one text message, or send /cancel."))


def build_router() -> Router:
    router = Router(name=__name__)
    not_command = ~F.text.startswith("/")
    text = F.text & not_command
    router.message.register(on_new_time, MeetingEdit.when, text, flags=EDIT_STEP)
    router.message.register(on_new_place, MeetingEdit.place, text, flags=EDIT_STEP)
    router.message.register(on_new_location, MeetingEdit.location, F.location, flags=EDIT_STEP)
    router.message.register(on_wrong_edit, StateFilter(MeetingEdit), not_command, flags=EDIT_STEP)
    router.callback_query.register(on_change_asked, MeetingCard.filter(F.act.in_(CHANGES)))
    router.callback_query.register(on_change, MeetingChange.filter())
    return router
