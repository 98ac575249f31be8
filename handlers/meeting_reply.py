"""What members do with a meeting: answer (attend, or excused with a reason), check in (the
code announced in the room, or a location near the venue), and after it log it with one tap.
Every press is checked again by the services: a member of the group, the meeting still on; a
forged button of anyone else answers as not found."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.meeting_card import send_calendar_file
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.dates import format_date
from services.errors import BadInput, StaleButton
from services.i18n_marks import N_
from services.meetings.access import members_meeting
from services.meetings.after import log_meeting
from services.meetings.checkin import (
    check_in_any,
    check_in_with_code,
    check_in_with_location,
    ensure_open_for_checkin,
)
from services.meetings.model import Meeting
from services.meetings.replies import attend, check_may_excuse, excuse
from services.meetings.templates import ATTEND, CHECKIN_PREFIX, ICS_PREFIX, LOG_PREFIX, RSVP_PREFIX
from services.people import ROW_ID_MAX
from services.text import esc

REPLY_STEP = {"action": "meeting_reply_step"}
CODE = {"action": "meeting_code"}
_FOR = "meeting_reply_for"


class MeetingRsvp(CallbackData, prefix=RSVP_PREFIX):
    meeting_id: int = Field(ge=1, le=ROW_ID_MAX)
    answer: int = Field(ge=1, le=2)


class MeetingCheckin(CallbackData, prefix=CHECKIN_PREFIX):
    meeting_id: int = Field(ge=1, le=ROW_ID_MAX)


class MeetingIcs(CallbackData, prefix=ICS_PREFIX):
    meeting_id: int = Field(ge=1, le=ROW_ID_MAX)


class MeetingLog(CallbackData, prefix=LOG_PREFIX):
    meeting_id: int = Field(ge=1, le=ROW_ID_MAX)


class MeetingAnswer(StatesGroup):
    reason = State()
    checkin = State()


def _title(meeting: Meeting) -> str:
    return f"<b>{esc(meeting.title)}</b>"


async def on_rsvp(
    query: CallbackQuery,
    callback_data: MeetingRsvp,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    bot: Bot,
) -> None:
    meeting_id, now = callback_data.meeting_id, utcnow()
    if callback_data.answer == ATTEND:
        meeting = await attend(
            session=session, person_id=actor.person_id, meeting_id=meeting_id, now=now
        )
        await query.answer()
        await bot.send_message(
            query.from_user.id,
            _("Noted: you will attend {title}. Reminders will follow.").format(
                title=_title(meeting)
            ),
        )
        return
    meeting = await check_may_excuse(
        session=session, person_id=actor.person_id, meeting_id=meeting_id, now=now
    )
    await query.answer()
    await state.update_data({_FOR: meeting.id})
    await state.set_state(MeetingAnswer.reason)
    await bot.send_message(
        query.from_user.id,
        _(
            "Why can you not attend {title}? Send the reason in one message. /cancel to stop."
        ).format(title=_title(meeting)),
    )


async def _meeting_for(state: FSMContext) -> int:
    meeting_id = (await state.get_data()).get(_FOR)
    if not isinstance(meeting_id, int):
        raise StaleButton()
    return meeting_id


async def _end(state: FSMContext) -> None:
    await state.set_state(None)
    await state.update_data({_FOR: None})


async def on_reason(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor
) -> None:
    meeting = await excuse(
        session=session,
        person_id=actor.person_id,
        meeting_id=await _meeting_for(state),
        reason=message.text or "",
        now=utcnow(),
    )
    await _end(state)
    await message.answer(
        _("Noted: you are excused from {title}. The organiser sees your reason.").format(
            title=_title(meeting)
        )
    )


async def on_checkin_button(
    query: CallbackQuery,
    callback_data: MeetingCheckin,
    state: FSMContext,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    meeting = await members_meeting(
        session=session, person_id=actor.person_id, meeting_id=callback_data.meeting_id
    )
    ensure_open_for_checkin(meeting, utcnow(), settings.tz)
    await query.answer()
    await state.update_data({_FOR: meeting.id})
    await state.set_state(MeetingAnswer.checkin)
    await bot.send_message(
        query.from_user.id,
        _(
            "Check in to {title}: send the 4-digit code announced in the room, or share your "
            "location (📎 → Location) within 500 m of the venue. /cancel to stop."
        ).format(title=_title(meeting)),
    )


async def _checked_in(
    message: Message, state: FSMContext, meeting: Meeting, settings: Settings
) -> None:
    await _end(state)
    at = utcnow().astimezone(settings.tz)
    await message.answer(
        _("Checked in to {title} at {time}. Thank you!").format(
            title=_title(meeting), time=f"{at:%H:%M}"
        )
    )


async def on_checkin_code(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    meeting = await check_in_with_code(
        session=session,
        person_id=actor.person_id,
        meeting_id=await _meeting_for(state),
        code=message.text or "",
        now=utcnow(),
        tz=settings.tz,
    )
    await _checked_in(message, state, meeting, settings)


async def on_checkin_location(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    assert message.location is not None  # noqa: S101 - the filter
    meeting = await check_in_with_location(
        session=session,
        person_id=actor.person_id,
        meeting_id=await _meeting_for(state),
        latitude=message.location.latitude,
        longitude=message.location.longitude,
        now=utcnow(),
        tz=settings.tz,
    )
    await _checked_in(message, state, meeting, settings)


async def on_code_anytime(
    message: Message, state: FSMContext, session: AsyncSession, actor: Actor, settings: Settings
) -> None:
    """Four digits sent outside any dialog: a check-in to the meeting open now."""
    meeting = await check_in_any(
        session=session,
        person_id=actor.person_id,
        code=message.text or "",
        now=utcnow(),
        tz=settings.tz,
    )
    await _checked_in(message, state, meeting, settings)


async def on_wrong_answer(message: Message) -> None:
    raise BadInput(N_("Please answer the question above, or send /cancel."))


async def on_log(
    query: CallbackQuery,
    callback_data: MeetingLog,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    now = utcnow()
    saved = await log_meeting(
        session=session,
        person_id=actor.person_id,
        meeting_id=callback_data.meeting_id,
        now=now,
        tz=settings.tz,
    )
    await query.answer()
    if query.message is not None:
        await bot.edit_message_reply_markup(
            chat_id=query.from_user.id, message_id=query.message.message_id, reply_markup=None
        )
    meeting = await members_meeting(
        session=session, person_id=actor.person_id, meeting_id=callback_data.meeting_id
    )
    day = format_date(meeting.starts_at.astimezone(settings.tz).date(), actor.locale)
    await bot.send_message(
        query.from_user.id,
        _("Saved: group meeting {title} on {day}, {points} points. See it in /my.").format(
            title=_title(meeting), day=day, points=saved.points
        ),
    )


async def on_ics(
    query: CallbackQuery,
    callback_data: MeetingIcs,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    meeting = await members_meeting(
        session=session, person_id=actor.person_id, meeting_id=callback_data.meeting_id
    )
    await query.answer()
    await send_calendar_file(bot, query.from_user.id, session, meeting, settings)


def build_router() -> Router:
    router = Router(name=__name__)
    not_command = ~F.text.startswith("/")
    text = F.text & not_command
    router.message.register(on_reason, MeetingAnswer.reason, text, flags=REPLY_STEP)
    router.message.register(on_checkin_code, MeetingAnswer.checkin, text, flags=REPLY_STEP)
    router.message.register(
        on_checkin_location, MeetingAnswer.checkin, F.location, flags=REPLY_STEP
    )
    router.message.register(
        on_wrong_answer, StateFilter(MeetingAnswer), not_command, flags=REPLY_STEP
    )
    router.message.register(
        on_code_anytime, StateFilter(None), F.text.regexp(r"^\s*\d{4}\s*$"), flags=CODE
    )
    router.callback_query.register(on_rsvp, MeetingRsvp.filter())
    router.callback_query.register(on_checkin_button, MeetingCheckin.filter())
    router.callback_query.register(on_log, MeetingLog.filter())
    router.callback_query.register(on_ics, MeetingIcs.filter())
    return router
