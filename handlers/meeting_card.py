"""The organiser's card of a meeting: who attends, is excused, has not answered, checked in,
refreshed by a button; the check-in code during the meeting; the calendar file. Its buttons to
change or cancel the meeting are handlers.meeting_change's."""

from __future__ import annotations

from enum import IntEnum

from aiogram import Bot, F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)
from aiogram.utils.i18n import gettext as _
from pydantic import Field
from sqlalchemy.ext.asyncio import AsyncSession

from handlers.history_render import edit_in_place
from handlers.meeting_render import card_text
from services.actors import Actor
from services.clock import utcnow
from services.config import Settings
from services.meetings.checkin import organiser_code
from services.meetings.model import Meeting
from services.meetings.publish import calendar_file
from services.meetings.status import meeting_status
from services.people import ROW_ID_MAX


class Act(IntEnum):
    refresh = 0
    code = 1
    time = 2
    place = 3
    cancel = 4


# Time, place and cancel are handled in handlers.meeting_change.
CHANGES = frozenset({Act.time, Act.place, Act.cancel})


class MeetingOpen(CallbackData, prefix="mopen"):
    meeting_id: int = Field(ge=1, le=ROW_ID_MAX)


class MeetingCard(CallbackData, prefix="mcard"):
    meeting_id: int = Field(ge=1, le=ROW_ID_MAX)
    act: Act


def _button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def card_markup(meeting: Meeting, cancelled: bool) -> InlineKeyboardMarkup:
    mid = meeting.id or 0
    rows = [[_button(_("🔄 Refresh"), MeetingCard(meeting_id=mid, act=Act.refresh))]]
    if not cancelled:
        rows[0].append(_button(_("🔢 Check-in code"), MeetingCard(meeting_id=mid, act=Act.code)))
        rows.append(
            [
                _button(_("Change time"), MeetingCard(meeting_id=mid, act=Act.time)),
                _button(_("Change place"), MeetingCard(meeting_id=mid, act=Act.place)),
            ]
        )
        rows.append([_button(_("Cancel the meeting"), MeetingCard(meeting_id=mid, act=Act.cancel))])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def _card(
    session: AsyncSession, actor: Actor, settings: Settings, meeting_id: int
) -> tuple[str, InlineKeyboardMarkup]:
    status = await meeting_status(session=session, actor=actor, meeting_id=meeting_id)
    text = card_text(status, settings.tz, actor.locale)
    return text, card_markup(status.meeting, status.cancelled)


async def show_card(
    bot: Bot,
    chat_id: int,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    meeting_id: int,
) -> None:
    text, markup = await _card(session, actor, settings, meeting_id)
    await bot.send_message(chat_id, text, reply_markup=markup)


async def send_calendar_file(
    bot: Bot, chat_id: int, session: AsyncSession, meeting: Meeting, settings: Settings
) -> None:
    """The meeting's .ics as it stands now (members get it from the notice's button)."""
    data = await calendar_file(session, meeting, settings)
    await bot.send_document(
        chat_id,
        BufferedInputFile(data, filename=f"meeting-{meeting.id}.ics"),
        caption=_("Calendar file (.ics) of the meeting: open it to add the meeting to a calendar."),
    )


async def on_open(
    query: CallbackQuery,
    callback_data: MeetingOpen,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    await query.answer()
    await show_card(bot, query.from_user.id, session, actor, settings, callback_data.meeting_id)


async def on_card(
    query: CallbackQuery,
    callback_data: MeetingCard,
    session: AsyncSession,
    actor: Actor,
    settings: Settings,
    bot: Bot,
) -> None:
    act, meeting_id = callback_data.act, callback_data.meeting_id
    now = utcnow()
    if act is Act.refresh:
        text, markup = await _card(session, actor, settings, meeting_id)
        await edit_in_place(bot, query, text, markup)
        return
    if act is Act.code:
        meeting = await organiser_code(
            session=session, actor=actor, meeting_id=meeting_id, now=now, tz=settings.tz
        )
        await query.answer()
        await bot.send_message(
            query.from_user.id,
            _(
                "Check-in code: <b>{code}</b>\nAnnounce it in the room: members send these four "
                "digits to the bot (or share their location near the venue)."
            ).format(code=meeting.checkin_code),
        )


def build_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(on_open, MeetingOpen.filter())
    router.callback_query.register(on_card, MeetingCard.filter(~F.act.in_(CHANGES)))
    return router
