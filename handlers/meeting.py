"""/meeting for staff (groups in their scope) and group leaders (their group): their coming
meetings to open, or a new one: group → title → date and time → place (text, then a location
shared from Telegram, or Skip) → agenda (or Skip) → preview → publish. Members get the notice
at once through the delivery engine, with a button for the calendar file (.ics); the organiser
gets the file at once, and then the meeting's card."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meeting_card import MeetingOpen, send_calendar_file, show_card
from handlers.meeting_render import preview_text
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.errors import BadInput, StaleButton
from services.i18n_marks import N_
from services.meetings.access import (
    managed_coming,
    member_count,
    organisable_group,
    organisable_groups,
)
from services.meetings.publish import (
    NewMeeting,
    check_agenda,
    check_place,
    check_title,
    publish_meeting,
)
from services.meetings.templates import when_text
from services.meetings.when import USAGE, When, parse_when
from services.people import ROW_ID_MAX
from services.text import esc

STEP = {"action": "meeting_step"}
PAGE = 20
_NEW = "meeting_new"


class MeetingFlow(StatesGroup):
    title = State()
    when = State()
    place = State()
    location = State()
    agenda = State()
    confirm = State()


class Press(IntEnum):
    skip_location = 1
    skip_agenda = 2
    publish = 3
    drop = 4


class MeetingGroup(CallbackData, prefix="mgrp"):
    group_id: int = Field(default=0, ge=0, le=ROW_ID_MAX)
    page: int = Field(default=0, ge=0, le=1000)


class MeetingStep(CallbackData, prefix="mstp"):
    press: Press


def _row(text: str, data: CallbackData) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(text=text, callback_data=data.pack())]


async def cmd_meeting(
    message: Message, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    text, markup = await _start(session, actor, settings, 0)
    await message.answer(text, reply_markup=markup)


async def _start(
    session: AsyncSession, actor: Actor, settings: Settings, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    groups = await organisable_groups(session=session, actor=actor)
    if not groups:
        return _("There is no representative group you may schedule a meeting for."), None
    rows = []
    coming = await managed_coming(session=session, actor=actor, now=utcnow()) if page == 0 else []
    for meeting in coming:
        start = meeting.starts_at.astimezone(settings.tz)
        label = f"{start:%Y-%m-%d %H:%M} {meeting.title}"
        rows.append(_row(label[:60], MeetingOpen(meeting_id=meeting.id or 0)))
    for group, delegation in groups[page * PAGE : (page + 1) * PAGE]:
        label = _("New: {group} ({delegation})").format(group=group.name, delegation=delegation)
        rows.append(_row(label[:60], MeetingGroup(group_id=group.id or 0)))
    nav = []
    if page > 0:
        nav.append(InlineKeyboardButton(text="‹", callback_data=MeetingGroup(page=page - 1).pack()))
    if len(groups) > (page + 1) * PAGE:
        nav.append(InlineKeyboardButton(text="›", callback_data=MeetingGroup(page=page + 1).pack()))
    if nav:
        rows.append(nav)
    head = _("Open a coming meeting, or choose the group of a new one:")
    return head, InlineKeyboardMarkup(inline_keyboard=rows)


async def on_group(
    query: CallbackQuery,
    callback_data: MeetingGroup,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    await query.answer()
    chat_id = query.from_user.id
    if not callback_data.group_id:
        text, markup = await _start(session, actor, settings, callback_data.page)
        await bot.send_message(chat_id, text, reply_markup=markup)
        return
    group = await organisable_group(session=session, actor=actor, group_id=callback_data.group_id)
    await state.update_data({_NEW: {"group_id": group.id, "group": group.name}})
    await state.set_state(MeetingFlow.title)
    await bot.send_message(
        chat_id,
        _("New meeting of {group}. Send its title. /cancel to stop.").format(
            group=f"<b>{esc(group.name)}</b>"
        ),
    )


async def _draft(state: FSMContext) -> dict[str, Any]:
    draft = (await state.get_data()).get(_NEW)
    if not isinstance(draft, dict):
        raise StaleButton()
    return draft


async def _put(state: FSMContext, **values: Any) -> dict[str, Any]:
    draft = {**await _draft(state), **values}
    await state.update_data({_NEW: draft})
    return draft


async def on_title(message: Message, state: FSMContext) -> None:
    await _put(state, title=check_title(message.text or ""))
    await state.set_state(MeetingFlow.when)
    await message.answer(_("When is it? ") + _(USAGE))


async def on_when(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    when = parse_when(message.text or "", now=utcnow(), tz=settings.tz)
    draft = await _put(state, starts=when.starts_at.isoformat(), ends=when.ends_at.isoformat())
    if "place" in draft:
        # Asked again at publish (the time had passed): everything else is answered.
        await _preview(message.chat.id, message.bot, state, session, actor, settings)
        return
    await state.set_state(MeetingFlow.place)
    await message.answer(_("Where? Send the place as text (an address or a room)."))


async def on_place(message: Message, state: FSMContext) -> None:
    await _put(state, place=check_place(message.text or ""))
    await state.set_state(MeetingFlow.location)
    skip = _row(_("Skip"), MeetingStep(press=Press.skip_location))
    await message.answer(
        _(
            "If you like, share the venue's location from Telegram (📎 → Location), so that "
            "members can check in nearby and find it on a map. Please do not type coordinates."
        ),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[skip]),
    )


async def on_location(message: Message, state: FSMContext) -> None:
    assert message.location is not None  # noqa: S101 - the filter
    await _put(state, lat=message.location.latitude, lon=message.location.longitude)
    await _ask_agenda(message.bot, message.chat.id, state)


async def on_typed_location(message: Message) -> None:
    raise BadInput(N_("Please share the location from Telegram (📎 → Location), or press Skip."))


async def on_wrong_input(message: Message) -> None:
    raise BadInput(N_("Please answer the question above in one text message, or send /cancel."))


async def _ask_agenda(bot: Bot | None, chat_id: int, state: FSMContext) -> None:
    assert bot is not None  # noqa: S101 - a message of the running bot
    await state.set_state(MeetingFlow.agenda)
    skip = _row(_("Skip"), MeetingStep(press=Press.skip_agenda))
    await bot.send_message(
        chat_id,
        _("Send the agenda (what the group will do), or press Skip."),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[skip]),
    )


async def on_agenda(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    await _put(state, agenda=check_agenda(message.text or ""))
    await _preview(message.chat.id, message.bot, state, session, actor, settings)


async def on_step(
    query: CallbackQuery,
    callback_data: MeetingStep,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    current = await state.get_state()
    press = callback_data.press
    expected = {
        Press.skip_location: MeetingFlow.location.state,
        Press.skip_agenda: MeetingFlow.agenda.state,
        Press.publish: MeetingFlow.confirm.state,
        Press.drop: MeetingFlow.confirm.state,
    }[press]
    if current != expected:
        raise StaleButton()
    await query.answer()
    chat_id = query.from_user.id
    if query.message is not None:
        await bot.edit_message_reply_markup(
            chat_id=chat_id, message_id=query.message.message_id, reply_markup=None
        )
    if press is Press.skip_location:
        await _ask_agenda(bot, chat_id, state)
    elif press is Press.skip_agenda:
        await _preview(chat_id, bot, state, session, actor, settings)
    elif press is Press.drop:
        await _end(state)
        await bot.send_message(chat_id, _("Cancelled. Nothing was published."))
    else:
        await _publish(chat_id, bot, state, session, actor, settings)


async def _preview(
    chat_id: int,
    bot: Bot | None,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
) -> None:
    assert bot is not None  # noqa: S101 - a message of the running bot
    draft = await _draft(state)
    await organisable_group(session=session, actor=actor, group_id=int(draft["group_id"]))
    when = _when(draft)
    text = preview_text(
        group=str(draft["group"]),
        title=str(draft["title"]),
        starts=when.starts_at,
        ends=when.ends_at,
        place=str(draft["place"]),
        located=draft.get("lat") is not None,
        agenda=draft.get("agenda"),
        members=await member_count(session=session, group_id=int(draft["group_id"])),
        tz=settings.tz,
        locale=actor.locale,
    )
    await state.set_state(MeetingFlow.confirm)
    rows = [
        _row(_("Publish"), MeetingStep(press=Press.publish)),
        _row(_("Cancel"), MeetingStep(press=Press.drop)),
    ]
    await bot.send_message(chat_id, text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


def _when(draft: dict[str, Any]) -> When:
    return When(datetime.fromisoformat(draft["starts"]), datetime.fromisoformat(draft["ends"]))


async def _publish(
    chat_id: int,
    bot: Bot,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
) -> None:
    draft = await _draft(state)
    now = utcnow()
    if _when(draft).starts_at <= now:
        # The time passed while the preview waited: ask it again, the rest is kept.
        await state.set_state(MeetingFlow.when)
        await bot.send_message(chat_id, _("That time has passed meanwhile. ") + _(USAGE))
        return
    meeting = await publish_meeting(
        session=session,
        actor=actor,
        new=NewMeeting(
            group_id=int(draft["group_id"]),
            title=str(draft["title"]),
            when=_when(draft),
            place=str(draft["place"]),
            latitude=draft.get("lat"),
            longitude=draft.get("lon"),
            agenda=draft.get("agenda"),
        ),
        now=now,
        settings=settings,
    )
    await _end(state)
    when = when_text(meeting.starts_at, meeting.ends_at, settings.tz, actor.locale)
    await bot.send_message(
        chat_id,
        _("Published. The members are being told: {title}, {when}.").format(
            title=esc(meeting.title), when=when
        ),
    )
    await send_calendar_file(bot, chat_id, session, meeting, settings)
    await show_card(bot, chat_id, session, actor, settings, meeting.id or 0)


async def _end(state: FSMContext) -> None:
    await state.set_state(None)
    await state.update_data({_NEW: None})


def build_router() -> Router:
    router = Router(name=__name__)
    not_command = ~F.text.startswith("/")
    text = F.text & not_command
    router.message.register(cmd_meeting, Command("meeting"))
    router.message.register(on_title, MeetingFlow.title, text, flags=STEP)
    router.message.register(on_when, MeetingFlow.when, text, flags=STEP)
    router.message.register(on_place, MeetingFlow.place, text, flags=STEP)
    router.message.register(on_location, MeetingFlow.location, F.location, flags=STEP)
    router.message.register(on_typed_location, MeetingFlow.location, not_command, flags=STEP)
    router.message.register(on_agenda, MeetingFlow.agenda, text, flags=STEP)
    router.message.register(on_wrong_input, StateFilter(MeetingFlow), not_command, flags=STEP)
    router.callback_query.register(on_group, MeetingGroup.filter())
    router.callback_query.register(on_step, MeetingStep.filter())
    return router
